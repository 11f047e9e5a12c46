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
 * @param momentum SGD's momentum, as {@code torch.optim.SGD(momentum=...)} (0: none, the book's plain SGD)
 * @param nesterov with momentum: Nesterov's form, as {@code torch.optim.SGD(nesterov=True)}
 * @param labelSmoothing the training loss's label smoothing ε, as {@code nn.CrossEntropyLoss(label_smoothing=ε)}:
 *     the target puts 1 − ε on the label and ε spread evenly over all classes (0: none); validation
 *     and test losses are always plain cross-entropy
 */
public record OptimizerConfig(String name, float learningRate, float weightDecay, int warmupSteps, boolean cosine,
        float momentum, boolean nesterov, float labelSmoothing) {

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
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be at least 0 and below 1, got " + momentum);
        }
        if (momentum > 0 && !name.equals("sgd")) {
            throw new IllegalArgumentException("momentum is SGD's; " + name + " keeps its own moment estimates");
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov's form needs a momentum above 0 (--momentum 0.9, say)");
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be at least 0 and below 1, got " + labelSmoothing);
        }
    }

    /** The configuration without momentum or label smoothing, as runs before they existed. */
    public OptimizerConfig(String name, float learningRate, float weightDecay, int warmupSteps, boolean cosine) {
        this(name, learningRate, weightDecay, warmupSteps, cosine, 0f, false, 0f);
    }

    /** Whether the rate moves: a warm-up or a cosine decay. */
    public boolean scheduled() {
        return warmupSteps > 0 || cosine;
    }

    /** Plain SGD at a constant {@code learningRate}, as the book trains. */
    public static OptimizerConfig sgd(float learningRate) {
        return new OptimizerConfig("sgd", learningRate, 0f, 0, false);
    }

    /** Returns this configuration with another learning rate. */
    public OptimizerConfig withLearningRate(float rate) {
        return new OptimizerConfig(name, rate, weightDecay, warmupSteps, cosine, momentum, nesterov, labelSmoothing);
    }

    /** Returns this configuration with another optimizer (momentum, SGD's alone, is dropped for Adam). */
    public OptimizerConfig withName(String optimizer) {
        boolean sgd = "sgd".equalsIgnoreCase(optimizer);
        return new OptimizerConfig(optimizer, learningRate, weightDecay, warmupSteps, cosine, sgd ? momentum : 0f,
                sgd && nesterov, labelSmoothing);
    }

    /** Returns this configuration with another weight decay. */
    public OptimizerConfig withWeightDecay(float decay) {
        return new OptimizerConfig(name, learningRate, decay, warmupSteps, cosine, momentum, nesterov, labelSmoothing);
    }

    /** Returns this configuration with another warm-up. */
    public OptimizerConfig withWarmupSteps(int steps) {
        return new OptimizerConfig(name, learningRate, weightDecay, steps, cosine, momentum, nesterov, labelSmoothing);
    }

    /** Returns this configuration with or without cosine decay. */
    public OptimizerConfig withCosine(boolean decay) {
        return new OptimizerConfig(name, learningRate, weightDecay, warmupSteps, decay, momentum, nesterov, labelSmoothing);
    }

    /** Returns this configuration with another momentum (0 also drops Nesterov's form). */
    public OptimizerConfig withMomentum(float value) {
        return new OptimizerConfig(name, learningRate, weightDecay, warmupSteps, cosine, value, value > 0 && nesterov,
                labelSmoothing);
    }

    /** Returns this configuration with or without Nesterov's form of momentum. */
    public OptimizerConfig withNesterov(boolean value) {
        return new OptimizerConfig(name, learningRate, weightDecay, warmupSteps, cosine, momentum, value, labelSmoothing);
    }

    /** Returns this configuration with another label smoothing. */
    public OptimizerConfig withLabelSmoothing(float value) {
        return new OptimizerConfig(name, learningRate, weightDecay, warmupSteps, cosine, momentum, nesterov, value);
    }
}
