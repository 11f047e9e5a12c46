package dev.alexnet.spark;

import java.io.Serializable;

/** One scored validation image of an evaluation: its index, true and predicted class, and its loss. Bean. */
public final class EvaluationRow implements Serializable {

    private static final long serialVersionUID = 1L;

    private int index;
    private int label;
    private int predicted;
    private double probability;
    private double loss;
    private int batch;
    private double batchLoss;

    /** An empty row, for Spark's encoder. */
    public EvaluationRow() {}

    static EvaluationRow of(int index, int label, int predicted, double probability, double loss, int batch,
            float batchLoss) {
        EvaluationRow row = new EvaluationRow();
        row.batch = batch;
        row.batchLoss = batchLoss;
        row.index = index;
        row.label = label;
        row.predicted = predicted;
        row.probability = probability;
        row.loss = loss;
        return row;
    }

    /** Returns the image's index in the IDX file. */
    public int getIndex() {
        return index;
    }

    /** Sets the index. */
    public void setIndex(int index) {
        this.index = index;
    }

    /** Returns the true class. */
    public int getLabel() {
        return label;
    }

    /** Sets the true class. */
    public void setLabel(int label) {
        this.label = label;
    }

    /** Returns the most probable class. */
    public int getPredicted() {
        return predicted;
    }

    /** Sets the predicted class. */
    public void setPredicted(int predicted) {
        this.predicted = predicted;
    }

    /** Returns the predicted class's probability. */
    public double getProbability() {
        return probability;
    }

    /** Sets the probability. */
    public void setProbability(double probability) {
        this.probability = probability;
    }

    /** Returns the image's cross-entropy loss, -log p(true class). */
    public double getLoss() {
        return loss;
    }

    /** Sets the loss. */
    public void setLoss(double loss) {
        this.loss = loss;
    }

    /** Returns the engine batch the image was scored in: {@code evaluate}'s, index / batch size. */
    public int getBatch() {
        return batch;
    }

    /** Sets the batch. */
    public void setBatch(int batch) {
        this.batch = batch;
    }

    /** Returns the batch's mean loss as the model's loss function gave it (a float), as {@code evaluate} sums it. */
    public double getBatchLoss() {
        return batchLoss;
    }

    /** Sets the batch's loss. */
    public void setBatchLoss(double batchLoss) {
        this.batchLoss = batchLoss;
    }
}
