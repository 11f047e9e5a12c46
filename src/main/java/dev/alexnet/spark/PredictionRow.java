package dev.alexnet.spark;

import java.io.Serializable;
import java.util.List;

/**
 * One output row of {@code batch-predict}: a picture's path, its top-k labels and probabilities, or
 * why it could not be read. A Java bean, as Spark's bean encoder wants it.
 */
public final class PredictionRow implements Serializable {

    private static final long serialVersionUID = 1L;

    private String path;
    private List<String> labels;
    private List<Double> probabilities;
    private String error;

    /** An empty row, for Spark's encoder. */
    public PredictionRow() {}

    static PredictionRow of(String path, List<String> labels, List<Double> probabilities, String error) {
        PredictionRow row = new PredictionRow();
        row.path = path;
        row.labels = labels;
        row.probabilities = probabilities;
        row.error = error;
        return row;
    }

    /** Returns the picture's path (or URI). */
    public String getPath() {
        return path;
    }

    /** Sets the picture's path. */
    public void setPath(String path) {
        this.path = path;
    }

    /** Returns the k most probable labels, most probable first, or null when the picture was not read. */
    public List<String> getLabels() {
        return labels;
    }

    /** Sets the labels. */
    public void setLabels(List<String> labels) {
        this.labels = labels;
    }

    /** Returns their probabilities, in the same order, or null. */
    public List<Double> getProbabilities() {
        return probabilities;
    }

    /** Sets the probabilities. */
    public void setProbabilities(List<Double> probabilities) {
        this.probabilities = probabilities;
    }

    /** Returns why the picture could not be read, or null. */
    public String getError() {
        return error;
    }

    /** Sets the error. */
    public void setError(String error) {
        this.error = error;
    }
}
