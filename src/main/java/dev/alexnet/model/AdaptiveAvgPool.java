package dev.alexnet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * PyTorch's {@code nn.AdaptiveAvgPool2d(side)}: averages each feature map into {@code side}×{@code side} cells
 * whatever the map's own size, as torchvision's AlexNet does in front of its classifier. A map already
 * {@code side}×{@code side} is handed on as it is, so at the input size the network was built for the layer is
 * an exact identity: the same array, values and gradients.
 *
 * <p>It lets a network with a fixed first dense layer take other input sizes, which is what progressive
 * resizing needs: the book's AlexNet has a 5×5 map before its 6,400-input dense layer at 224, a 2×2 map at 112
 * (which this layer spreads over 5×5 cells, as PyTorch does) and a 3×3 map at 160. The pooling is PyTorch's own
 * ({@code adaptive_avg_pool2d} through DJL's PyTorch engine), with its gradient.
 */
public final class AdaptiveAvgPool extends LambdaBlock {

    /** The layer's name in summaries: PyTorch's class. */
    public static final String NAME = "AdaptiveAvgPool2d";

    private final int side;

    /** An adaptive average pool to {@code side}×{@code side} cells. */
    public AdaptiveAvgPool(int side) {
        super(list -> new NDList(pool(list.singletonOrThrow(), side)), NAME);
        if (side < 1) {
            throw new IllegalArgumentException("adaptive pool side must be positive, got " + side);
        }
        this.side = side;
    }

    /** Returns the side of the pooled map. */
    public int side() {
        return side;
    }

    private static NDArray pool(NDArray x, int side) {
        Shape shape = x.getShape();
        if (shape.get(shape.dimension() - 1) == side && shape.get(shape.dimension() - 2) == side) {
            return x;
        }
        if (!(x instanceof PtNDArray array)) {
            throw new IllegalStateException("adaptive pooling needs the PyTorch engine, got " + x.getClass().getName());
        }
        return JniUtils.adaptiveAvgPool(array, new Shape(side, side));
    }
}
