package dev.alexnet.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * The book's {@code layer_summary}: each layer's name and output shape for one input, plus its
 * parameter count.
 *
 * <p>Like the book, it runs a random input through the layers one at a time, so the shapes are
 * those the engine really produces.
 *
 * @param input the input shape, batch first
 * @param layers one row per layer, in order
 */
public record LayerSummary(Shape input, List<Layer> layers) {

    /**
     * One layer of the summary.
     *
     * @param name the layer's class name, as the book prints it
     * @param outputShape the shape the layer returns
     * @param params how many scalar parameters the layer holds
     */
    public record Layer(String name, Shape outputShape, long params) {}

    public LayerSummary {
        layers = List.copyOf(layers);
    }

    /** Returns the parameter count of the whole network. */
    public long totalParams() {
        return layers.stream().mapToLong(Layer::params).sum();
    }

    /** Summarizes the network a configuration names, for one input of its input size. */
    public static LayerSummary of(ModelConfig config) {
        return of(Networks.build(config), Networks.inputShape(config, 1));
    }

    /** Initializes {@code network} for {@code input} and summarizes it; the parameters are freed after. */
    public static LayerSummary of(SequentialBlock network, Shape input) {
        ShapeWalk.outputShapes(network, input);
        try (NDManager manager = NDManager.newBaseManager()) {
            network.initialize(manager, DataType.FLOAT32, input);
            ParameterStore store = new ParameterStore(manager, false);
            NDList x = new NDList(manager.randomNormal(input));
            List<Layer> rows = new ArrayList<>();
            for (Block layer : network.getChildren().values()) {
                x = layer.forward(store, x, false);
                rows.add(new Layer(LayerNames.of(layer), x.singletonOrThrow().getShape(), countParams(layer)));
            }
            return new LayerSummary(input, rows);
        }
    }

    private static long countParams(Block layer) {
        long count = 0;
        for (Pair<String, Parameter> parameter : layer.getParameters()) {
            count += parameter.getValue().getArray().size();
        }
        return count;
    }
}
