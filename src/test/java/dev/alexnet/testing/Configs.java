package dev.alexnet.testing;

import dev.alexnet.train.RunConfig;
import dev.alexnet.train.TrainingConfig;

/** Small configurations for tests, made from the book's so that only what a test names differs. */
public final class Configs {

    private Configs() {}

    /** The book's training settings with {@code epochs} epochs from {@code seed}. */
    public static TrainingConfig training(int epochs, long seed) {
        return RunConfig.book().training().withMaxEpochs(epochs).withSeed(seed);
    }
}
