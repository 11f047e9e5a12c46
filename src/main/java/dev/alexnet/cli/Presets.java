package dev.alexnet.cli;

import dev.alexnet.data.Augmentation;
import dev.alexnet.model.Networks;
import dev.alexnet.train.OptimizerConfig;

/** Tested training recipes that {@code train --preset NAME} runs. */
final class Presets {

    /** The model for users in a hurry: alexnet28 on the native images. */
    static final String QUICK = "quick";

    /**
     * A recipe: what the flags become.
     *
     * @param model the network
     * @param epochs passes over the training set
     * @param batchSize examples per step
     * @param learningRate the peak learning rate
     * @param optimizer optimizer and schedule
     * @param augmentation training-image augmentation
     */
    record Recipe(String model, int epochs, int batchSize, float learningRate, OptimizerConfig optimizer,
            Augmentation augmentation) {}

    private Presets() {}

    /**
     * The quick recipe: alexnet28 (batch norm, 745k parameters) for 8 epochs of batch 128 — about 7½
     * minutes here — with Adam at 3e-3, a one-epoch linear warm-up and cosine decay, weight decay 5e-4,
     * random flips and crops.
     */
    static Recipe quick() {
        return new Recipe(Networks.ALEXNET28, 8, 128, 3e-3f, new OptimizerConfig("adam", 5e-4f, 469, true),
                new Augmentation(true, true, false));
    }
}
