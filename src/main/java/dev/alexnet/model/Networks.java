package dev.alexnet.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import java.util.List;

/** The networks this project can build, by name. */
public final class Networks {

    /** The book's AlexNet. */
    public static final String ALEXNET = "alexnet";

    private Networks() {}

    /** Returns the names {@link ModelConfig} accepts, the default first. */
    public static List<String> names() {
        return List.of(ALEXNET);
    }

    /**
     * Builds the network a configuration names, with its initializers set but no parameters yet.
     *
     * <p>The input size is checked first, so that a size that cannot work fails here with the
     * layer where the feature map vanishes instead of deep inside the engine.
     *
     * @throws InputTooSmallException if the configured input size vanishes inside the network
     */
    public static SequentialBlock build(ModelConfig config) {
        SequentialBlock block =
                switch (config.name()) {
                    case ALEXNET -> AlexNet.build(config.numClasses());
                    default -> throw new IllegalArgumentException("unknown model " + config.name());
                };
        ShapeWalk.outputShapes(block, inputShape(config, 1));
        return block;
    }

    /** Returns the NCHW shape of a batch of single-channel inputs for a network. */
    public static Shape inputShape(ModelConfig config, long batchSize) {
        return new Shape(batchSize, 1, config.inputSize(), config.inputSize());
    }
}
