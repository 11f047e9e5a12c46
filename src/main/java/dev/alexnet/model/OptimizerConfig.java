package dev.alexnet.model;

import java.util.Locale;

/**
 * How a model's parameters are updated: the optimizer, its learning rate and how the rate moves.
 *
 * <p>Like the book's {@code AlexNet(lr=0.01)}, the model owns this choice; the trainer builds the
 * optimizer from it, afresh for every fit.
 *
 * @param name {@code sgd} (plain, as the book), {@code adam} ({@code torch.optim.Adam}: weight decay as L2
 *     added to the gradient) or {@code adamw} ({@code torch.optim.AdamW}: decoupled weight decay)
 * @param learningRate the learning rate (the peak one when a schedule moves it)
 * @param weightDecay L2 weight decay (0: none)
 * @param warmupSteps steps over which the rate rises linearly from 0 (0: none)
 * @param cosine whether the rate then follows a cosine from its value down to 1% by the last step
 */
public record OptimizerConfig(String name, float learningRate, float weightDecay, int warmupSteps, boolean cosine) {

    /** The optimizers this project trains with. */
    public static final java.util.List<String> NAMES = java.util.List.of("sgd", "adam", "adamw");

    /** Checks every field. */
    public OptimizerConfig {
        name = name == null ? null : name.toLowerCase(Locale.ROOT);
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown optimizer '" + name + "'; use sgd, adam or adamw");
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
        }
        if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be a finite number of at least 0, got " + weightDecay);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warm-up steps must not be negative, got " + warmupSteps);
        }
    }

    /** Plain SGD at a constant {@code learningRate}, as the book trains. */
    public static OptimizerConfig sgd(float learningRate) {
        return new OptimizerConfig("sgd", learningRate, 0f, 0, false);
    }

    /** Returns this configuration with another learning rate. */
    public OptimizerConfig withLearningRate(float rate) {
        return new OptimizerConfig(name, rate, weightDecay, warmupSteps, cosine);
    }

    /** Returns this configuration with another optimizer. */
    public OptimizerConfig withName(String optimizer) {
        return new OptimizerConfig(optimizer, learningRate, weightDecay, warmupSteps, cosine);
    }

    /** Returns this configuration with another weight decay. */
    public OptimizerConfig withWeightDecay(float decay) {
        return new OptimizerConfig(name, learningRate, decay, warmupSteps, cosine);
    }

    /** Returns this configuration with another warm-up. */
    public OptimizerConfig withWarmupSteps(int steps) {
        return new OptimizerConfig(name, learningRate, weightDecay, steps, cosine);
    }

    /** Returns this configuration with or without cosine decay. */
    public OptimizerConfig withCosine(boolean decay) {
        return new OptimizerConfig(name, learningRate, weightDecay, warmupSteps, decay);
    }
}
