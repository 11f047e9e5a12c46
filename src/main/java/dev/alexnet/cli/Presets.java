package dev.alexnet.cli;

import dev.alexnet.data.Augmentation;
import dev.alexnet.model.Networks;
import dev.alexnet.train.OptimizerConfig;

/** Tested training recipes that {@code train --preset NAME} runs. */
final class Presets {

    /** The book's recipe, the default: AlexNet at 224, SGD at 0.01, batch 128, 10 epochs. */
    static final String BOOK = "book";

    /** The book's network at 224 trained to the book's accuracy in a fraction of its time. */
    static final String FAST = "fast";

    /** The model for users in a hurry: alexnet28 on the native images. */
    static final String QUICK = "quick";

    /** Every preset's name. */
    static final java.util.List<String> NAMES = java.util.List.of(BOOK, FAST, QUICK);

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
    static Recipe named(String name) {
        return switch (name) {
            case BOOK -> book();
            case FAST -> fast();
            case QUICK -> quick();
            default -> throw new IllegalArgumentException("unknown preset '" + name + "' (known: "
                    + String.join(", ", NAMES) + ")");
        };
    }

    /** The book's recipe: what {@code train} does with no flags. */
    static Recipe book() {
        return new Recipe(Networks.ALEXNET, 10, 128, 0.01f, OptimizerConfig.SGD, Augmentation.NONE);
    }

    /**
     * The fast recipe: the book's AlexNet unchanged (224×224, dropout 0.5, batch 128) for 3 epochs
     * instead of 10, with Adam at 2e-4 after a half-epoch linear warm-up, cosine decay to 1%, and
     * random horizontal flips. Adam moves every weight by about the rate from the first step, where
     * SGD at 0.01 spends most of an epoch leaving the plateau at log(10).
     */
    static Recipe fast() {
        return new Recipe(Networks.ALEXNET, 3, 128, 2e-4f, new OptimizerConfig("adam", 0f, 235, true),
                new Augmentation(true, false, false));
    }

    static Recipe quick() {
        return new Recipe(Networks.ALEXNET28, 8, 128, 3e-3f, new OptimizerConfig("adam", 5e-4f, 469, true),
                new Augmentation(true, true, false));
    }
}
