package dev.alexnet.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.util.List;

/** The networks this project can build, by name. */
public final class Networks {

    /** The book's AlexNet. */
    public static final String ALEXNET = "alexnet";

    /** The book's AlexNet without dropout (exercise 8). */
    public static final String ALEXNET_NODROPOUT = "alexnet-nodropout";

    /** A narrower AlexNet on 112×112 inputs (exercise 5a). */
    public static final String ALEXNET_SMALL = "alexnet-small";

    /** An AlexNet-style network for the native 28×28 images (exercise 5b). */
    public static final String ALEXNET28 = "alexnet28";

    /** LeNet-5 as the book's LeNet chapter builds it. */
    public static final String LENET = "lenet";

    /** LeNet-5 with ReLU, max pooling and dropout (exercise 7). */
    public static final String LENET_MODERN = "lenet-modern";

    private Networks() {}

    /** Returns the names {@link ModelConfig} accepts, the default first. */
    public static List<String> names() {
        return List.of(ALEXNET, ALEXNET_NODROPOUT, ALEXNET_SMALL, ALEXNET28, LENET, LENET_MODERN);
    }

    /** Returns the input size a network is designed for: its default {@code --resize}. */
    public static int naturalInputSize(String name) {
        return switch (name) {
            case ALEXNET, ALEXNET_NODROPOUT -> 224;
            case ALEXNET_SMALL -> 112;
            case ALEXNET28, LENET, LENET_MODERN -> 28;
            default -> throw new IllegalArgumentException("unknown model " + name);
        };
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
                    case ALEXNET_NODROPOUT -> AlexNet.build(config.numClasses(), false);
                    case ALEXNET_SMALL -> AlexNet.small(config.numClasses());
                    case ALEXNET28 -> AlexNet.native28(config.numClasses());
                    case LENET -> LeNet.build(config.numClasses());
                    case LENET_MODERN -> LeNet.modern(config.numClasses());
                    default -> throw new IllegalArgumentException("unknown model " + config.name());
                };
        List<Shape> shapes = ShapeWalk.outputShapes(block, inputShape(config, 1));
        return config.adaptivePool() ? withAdaptivePool(config.name(), block, shapes) : block;
    }

    /**
     * Returns {@code block}'s layers with an {@link AdaptiveAvgPool} inserted before its {@code Flatten}, pooling to
     * the map {@code shapes} (each layer's output at the configured input size) show there.
     */
    private static SequentialBlock withAdaptivePool(String name, SequentialBlock block, List<Shape> shapes) {
        List<Block> layers = block.getChildren().values();
        SequentialBlock pooled = new FastSequentialBlock();
        boolean added = false;
        for (int i = 0; i < layers.size(); i++) {
            if (!added && "Flatten".equals(LayerNames.of(layers.get(i))) && i > 0 && shapes.get(i - 1).dimension() == 4
                    && shapes.get(i - 1).get(2) == shapes.get(i - 1).get(3)) {
                pooled.add(new AdaptiveAvgPool((int) shapes.get(i - 1).get(2)));
                added = true;
            }
            pooled.add(layers.get(i));
        }
        if (!added) {
            throw new IllegalArgumentException(name + " has no square map before a Flatten layer for an adaptive pool");
        }
        return pooled;
    }

    /**
     * Checks that the network {@code config} names takes {@code size}×{@code size} inputs as well as its own size (with
     * an adaptive pool, any size whose maps last until the pool).
     *
     * @throws InputTooSmallException if a feature map vanishes at that size
     */
    public static void requireTakes(ModelConfig config, int size) {
        ShapeWalk.outputShapes(build(config), new Shape(1, config.channels(), size, size));
    }

    /** Returns the NCHW shape of a batch of single-channel inputs for a network. */
    public static Shape inputShape(ModelConfig config, long batchSize) {
        return new Shape(batchSize, config.channels(), config.inputSize(), config.inputSize());
    }
}
