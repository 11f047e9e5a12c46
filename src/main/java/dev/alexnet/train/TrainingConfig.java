package dev.alexnet.train;

/**
 * How long and from which seed the {@link Trainer} trains: the twin of the book's
 * {@code d2l.Trainer(max_epochs=10)}.
 *
 * @param maxEpochs passes over the training set
 * @param seed seeds parameter initialization and dropout
 */
public record TrainingConfig(int maxEpochs, long seed) {

    /** The book's number of epochs. */
    public static final int BOOK_EPOCHS = 10;

    /** The seed used when none is given. */
    public static final long DEFAULT_SEED = 42;

    /** Checks every field, so that a bad configuration fails where it is made. */
    public TrainingConfig {
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + maxEpochs);
        }
    }

    /** The book's training: ten epochs. */
    public static TrainingConfig book() {
        return new TrainingConfig(BOOK_EPOCHS, DEFAULT_SEED);
    }
}
