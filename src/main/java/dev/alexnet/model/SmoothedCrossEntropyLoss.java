package dev.alexnet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * Softmax cross-entropy against smoothed targets, as {@code nn.CrossEntropyLoss(label_smoothing=ε)}:
 * each example's target puts 1 − ε on its label and ε/K on each of the K classes, so its loss is
 * {@code (1 − ε)·(−log p_label) + ε·mean_k(−log p_k)}; the batch's loss is the mean over examples.
 * DJL's {@code SoftmaxCrossEntropyLoss} has no smoothing, so this is built from its operations.
 */
public final class SmoothedCrossEntropyLoss extends Loss {

    private final float smoothing;

    /** A loss with label smoothing {@code smoothing}, in [0, 1). */
    public SmoothedCrossEntropyLoss(float smoothing) {
        super("SmoothedCrossEntropyLoss");
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be at least 0 and below 1, got " + smoothing);
        }
        this.smoothing = smoothing;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logProbabilities = predictions.singletonOrThrow().logSoftmax(1);
        NDArray label = labels.singletonOrThrow().toType(DataType.INT64, false).reshape(-1, 1);
        NDArray ofLabel = logProbabilities.gather(label, 1).reshape(-1).neg();
        NDArray overClasses = logProbabilities.mean(new int[] {1}).neg();
        return ofLabel.mul(1 - smoothing).add(overClasses.mul(smoothing)).mean();
    }
}
