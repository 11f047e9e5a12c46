package dev.alexnet.train;

import java.util.Locale;

/**
 * Which optimizer trains the model and how its learning rate moves; the rate itself is the run's.
 *
 * @param name {@code sgd} (plain, as the book) or {@code adam}
 * @param weightDecay L2 weight decay (0: none)
 * @param warmupSteps steps over which the rate rises linearly from 0 (0: none)
 * @param cosine whether the rate then follows a cosine from its value down to 1% by the last step
 */
public record OptimizerConfig(String name, float weightDecay, int warmupSteps, boolean cosine) {

    /** Plain SGD at a constant rate: the book's. */
    public static final OptimizerConfig SGD = new OptimizerConfig("sgd", 0f, 0, false);

    /** Checks every field. */
    public OptimizerConfig {
        name = name == null ? "sgd" : name.toLowerCase(Locale.ROOT);
        if (!name.equals("sgd") && !name.equals("adam")) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "'; use sgd or adam");
        }
        if (weightDecay < 0 || warmupSteps < 0) {
            throw new IllegalArgumentException("weight decay and warm-up steps must not be negative");
        }
    }
}
