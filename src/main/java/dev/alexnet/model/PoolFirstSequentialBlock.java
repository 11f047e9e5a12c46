package dev.alexnet.model;

import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * A sequential network that runs each ReLU followed by max pooling as max pooling followed by ReLU.
 *
 * <p>The two commute exactly — ReLU is monotonic, so the largest of a window's rectified values is
 * the rectified largest value, and the gradient reaches the same element — but pooling first
 * leaves ReLU, forward and backward, a quarter of the values: on AlexNet's 54×54 and 26×26 maps
 * that is most of the time the activations took. The layers, their order as listed, their
 * parameters and the layer summary stay the book's; only the order of execution changes.
 */
public class PoolFirstSequentialBlock extends SequentialBlock {

    /** Returns whether {@code first} then {@code second} is run as {@code second} then {@code first}. */
    public static boolean swaps(Block first, Block second) {
        return "ReLU".equals(LayerNames.of(first)) && second instanceof Pooling pool && pool.kind() == Pooling.Kind.MAX;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (isReturnIntermediate()) {
            return super.forwardInternal(parameterStore, inputs, training, params);
        }
        List<Block> layers = children.values();
        NDList current = inputs;
        for (int i = 0; i < layers.size(); i++) {
            Block layer = layers.get(i);
            if (i + 1 < layers.size() && swaps(layer, layers.get(i + 1))) {
                current = layers.get(i + 1).forward(parameterStore, current, training, params);
                i++;
            }
            current = layer.forward(parameterStore, current, training, params);
        }
        return current;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList data, NDList labels,
            PairList<String, Object> params) {
        // No layer of these networks looks at the labels: the training forward pass is the same.
        return forwardInternal(parameterStore, data, true, params);
    }
}
