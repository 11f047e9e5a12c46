package dev.alexnet.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.pooling.Pool;

/**
 * A 2-D pooling layer that remembers its window, so that the analysis can count its work; named
 * like PyTorch's class for the layer summary.
 */
public final class Pooling extends LambdaBlock {

    /** What the window computes. */
    public enum Kind {
        /** The largest value: {@code MaxPool2d}. */
        MAX,
        /** The mean value: {@code AvgPool2d}. */
        AVG
    }

    private final Kind kind;
    private final int kernel;
    private final int stride;
    private final int padding;

    private Pooling(Kind kind, int kernel, int stride, int padding) {
        super(list -> new ai.djl.ndarray.NDList(pool(kind, list.singletonOrThrow(), kernel, stride, padding)),
                kind == Kind.MAX ? "MaxPool2d" : "AvgPool2d");
        this.kind = kind;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    /** A square max-pooling window. */
    public static Pooling max(int kernel, int stride) {
        return new Pooling(Kind.MAX, kernel, stride, 0);
    }

    /** A square average-pooling window. */
    public static Pooling avg(int kernel, int stride) {
        return new Pooling(Kind.AVG, kernel, stride, 0);
    }

    private static ai.djl.ndarray.NDArray pool(Kind kind, ai.djl.ndarray.NDArray x, int kernel, int stride, int padding) {
        Shape window = new Shape(kernel, kernel);
        Shape step = new Shape(stride, stride);
        Shape pad = new Shape(padding, padding);
        return kind == Kind.MAX ? Pool.maxPool2d(x, window, step, pad, false) : Pool.avgPool2d(x, window, step, pad, false, true);
    }

    /** Returns what the window computes. */
    public Kind kind() {
        return kind;
    }

    /** Returns the window's side. */
    public int kernel() {
        return kernel;
    }

    /** Returns the step between windows. */
    public int stride() {
        return stride;
    }
}
