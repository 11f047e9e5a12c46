package dev.alexnet.train;

/**
 * How long and from which seed the {@link Trainer} trains, and how often it checkpoints: the twin
 * of the book's {@code d2l.Trainer(max_epochs=10)}.
 *
 * @param maxEpochs passes over the training set
 * @param seed seeds parameter initialization and each step's dropout
 * @param checkpointEvery also checkpoint every this many steps, or {@code null} for epoch ends only
 * @param keep how many of the newest checkpoints to keep (the best by validation accuracy is kept too)
 */
public record TrainingConfig(int maxEpochs, long seed, Integer checkpointEvery, int keep) {

    /** The book's number of epochs. */
    public static final int BOOK_EPOCHS = 10;

    /** The seed used when none is given. */
    public static final long DEFAULT_SEED = 42;

    /** How many recent checkpoints a run keeps by default. */
    public static final int DEFAULT_KEEP = 2;

    /** Checks every field, so that a bad configuration fails where it is made. */
    public TrainingConfig {
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + maxEpochs);
        }
        if (checkpointEvery != null && checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpoint interval must be at least 1 step, got " + checkpointEvery);
        }
        if (keep < 1) {
            throw new IllegalArgumentException("must keep at least 1 checkpoint, got " + keep);
        }
    }

    /** Trains {@code maxEpochs} epochs from {@code seed}, checkpointing at epoch ends and keeping two. */
    public TrainingConfig(int maxEpochs, long seed) {
        this(maxEpochs, seed, null, DEFAULT_KEEP);
    }

    /** The book's training: ten epochs. */
    public static TrainingConfig book() {
        return new TrainingConfig(BOOK_EPOCHS, DEFAULT_SEED);
    }

    /** Returns this configuration with another number of epochs. */
    public TrainingConfig withMaxEpochs(int epochs) {
        return new TrainingConfig(epochs, seed, checkpointEvery, keep);
    }
}
