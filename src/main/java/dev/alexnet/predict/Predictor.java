package dev.alexnet.predict;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import dev.alexnet.data.BatchMaker;
import dev.alexnet.data.FashionMnist;
import java.nio.file.Path;
import dev.alexnet.model.Classifier;
import java.util.ArrayList;
import java.util.List;

/** Scores 28×28 images with a trained classifier: the k most probable classes of each. */
public final class Predictor {

    /**
     * One class and how probable the model finds it.
     *
     * @param label the class name
     * @param probability its softmax probability
     */
    public record Prediction(String label, double probability) {}

    private final Classifier model;
    private final List<String> classes;
    private final BatchMaker resizer;

    /** Predicts with {@code model}, whose outputs are {@code classes} in order. */
    public Predictor(Classifier model, List<String> classes) {
        this.model = model;
        this.classes = List.copyOf(classes);
        this.resizer = new BatchMaker(model.config().inputSize());
    }

    /**
     * Returns the {@code k} most probable classes of each image of an (N, 1, 28, 28) batch in [0, 1],
     * resized to the model's input as in training.
     */
    public List<List<Prediction>> top(NDArray images, int k) {
        NDArray input = resizer.resize(images);
        ParameterStore store = new ParameterStore(images.getManager(), false);
        NDArray probabilities = model.block().forward(store, new NDList(input), false).singletonOrThrow().softmax(1);
        int count = Math.min(k, classes.size());
        NDArray order = probabilities.argSort(1, false);
        long[] indices = order.toLongArray();
        float[] values = probabilities.toFloatArray();
        int n = (int) images.getShape().get(0);
        List<List<Prediction>> result = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<Prediction> best = new ArrayList<>();
            for (int j = 0; j < count; j++) {
                int c = (int) indices[i * classes.size() + j];
                best.add(new Prediction(classes.get(c), values[i * classes.size() + c]));
            }
            result.add(best);
        }
        return result;
    }

    /** Returns the {@code k} most probable classes of the picture in {@code file}, read as {@link ImageInput} reads pictures. */
    public List<Prediction> topOfFile(Path file, ImageInput.Invert invert, int k) {
        try (NDManager manager = model.model().getNDManager().newSubManager()) {
            return top(ImageInput.load(file, manager, invert).expandDims(0), k).get(0);
        }
    }

    /** Returns the {@code k} most probable classes of validation example {@code index} of {@code data}, batched as training batches are. */
    public List<Prediction> topOfValidation(FashionMnist data, int index, int k) {
        try (NDManager manager = model.model().getNDManager().newSubManager();
                Batch batch = data.validationBatch(index, index + 1, manager)) {
            return top(batch.getData().head(), k).get(0);
        }
    }
}
