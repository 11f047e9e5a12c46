package dev.alexnet.model;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Convolution;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows an input shape through a sequential network, layer by layer, without parameters.
 *
 * <p>Used before a network is initialized, so that an input that is too small is reported with
 * the layer where its feature map vanishes.
 */
public final class ShapeWalk {

    private ShapeWalk() {}

    /** Returns each layer's output shape for the given input shape, in layer order. */
    public static List<Shape> outputShapes(SequentialBlock network, Shape input) {
        List<Shape> shapes = new ArrayList<>();
        Shape current = input;
        int index = 0;
        for (Block layer : network.getChildren().values()) {
            index++;
            Shape next = outputShape(layer, current, index, input);
            for (long dim : next.getShape()) {
                if (dim <= 0) {
                    throw vanished(layer, index, current, input);
                }
            }
            shapes.add(next);
            current = next;
        }
        return shapes;
    }

    private static Shape outputShape(Block layer, Shape in, int index, Shape input) {
        if (layer instanceof Convolution conv && !fits(conv, in)) {
            // DJL's shape formula truncates toward zero, so an oversized kernel could yield size 1.
            throw vanished(layer, index, in, input);
        }
        try {
            return layer.getOutputShapes(new Shape[] {in})[0];
        } catch (EngineException e) {
            // Lambda layers such as pooling compute their shape by running; too small an input fails there.
            throw vanished(layer, index, in, input);
        }
    }

    private static boolean fits(Convolution conv, Shape in) {
        for (int i = 0; i < conv.getKernelShape().dimension(); i++) {
            long padded = in.get(2 + i) + 2 * conv.getPadding().get(i);
            long extent = conv.getDilation().get(i) * (conv.getKernelShape().get(i) - 1) + 1;
            if (padded < extent) {
                return false;
            }
        }
        return true;
    }

    private static InputTooSmallException vanished(Block layer, int index, Shape in, Shape input) {
        return new InputTooSmallException(
                "input " + input.get(2) + "x" + input.get(3) + " is too small: the feature map vanishes at layer "
                        + index
                        + " ("
                        + LayerNames.of(layer)
                        + ") whose input is "
                        + LayerNames.format(in)
                        + "; use a larger --resize");
    }
}
