package dev.alexnet.train;

/**
 * How long and from which seed the {@link Trainer} trains, and how often it checkpoints: the twin
 * of the book's {@code d2l.Trainer(max_epochs=10)}.
 *
 * @param maxEpochs passes over the training set
 * @param seed the run's one seed: parameter initialization, the data order, augmentation and each
 *     step's dropout are functions of it
 * @param checkpointEvery also checkpoint every this many steps, or {@code null} for none by steps
 * @param checkpointMinutes also checkpoint when this many minutes of training have passed since the
 *     last checkpoint, so that a kill never loses more; {@code null} for none by time
 * @param keep how many of the newest checkpoints to keep (the best by validation accuracy is kept too)
 */
public record TrainingConfig(int maxEpochs, long seed, Integer checkpointEvery, Integer checkpointMinutes, int keep) {

    /** The most epochs a run may have: DJL names a saved model by a four-digit epoch, checkpoints sort by it. */
    public static final int MAX_EPOCHS = 9_999;

    /** The longest time between checkpoints: a year. */
    public static final int MAX_CHECKPOINT_MINUTES = 525_600;

    /** Checks every field, so that a bad configuration fails where it is made. */
    public TrainingConfig {
        if (maxEpochs < 1 || maxEpochs > MAX_EPOCHS) {
            throw new IllegalArgumentException("epochs must be 1 to " + MAX_EPOCHS + ", got " + maxEpochs);
        }
        if (checkpointEvery != null && checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpoint interval must be at least 1 step, got " + checkpointEvery);
        }
        if (checkpointMinutes != null && (checkpointMinutes < 1 || checkpointMinutes > MAX_CHECKPOINT_MINUTES)) {
            throw new IllegalArgumentException("checkpoint time must be 1 to " + MAX_CHECKPOINT_MINUTES
                    + " minutes (a year), got " + checkpointMinutes);
        }
        if (keep < 1) {
            throw new IllegalArgumentException("must keep at least 1 checkpoint, got " + keep);
        }
    }

    /** Returns this configuration with another number of epochs. */
    public TrainingConfig withMaxEpochs(int epochs) {
        return new TrainingConfig(epochs, seed, checkpointEvery, checkpointMinutes, keep);
    }

    /** Returns this configuration with another seed. */
    public TrainingConfig withSeed(long newSeed) {
        return new TrainingConfig(maxEpochs, newSeed, checkpointEvery, checkpointMinutes, keep);
    }

    /** Returns this configuration checkpointing also every {@code steps} steps ({@code null}: epoch ends only). */
    public TrainingConfig withCheckpointEvery(Integer steps) {
        return new TrainingConfig(maxEpochs, seed, steps, checkpointMinutes, keep);
    }

    /** Returns this configuration checkpointing also every {@code minutes} minutes of training ({@code null}: not by time). */
    public TrainingConfig withCheckpointMinutes(Integer minutes) {
        return new TrainingConfig(maxEpochs, seed, checkpointEvery, minutes, keep);
    }

    /** Returns this configuration keeping {@code count} recent checkpoints. */
    public TrainingConfig withKeep(int count) {
        return new TrainingConfig(maxEpochs, seed, checkpointEvery, checkpointMinutes, count);
    }
}
