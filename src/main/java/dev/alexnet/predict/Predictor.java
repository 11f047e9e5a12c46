package dev.alexnet.predict;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import dev.alexnet.data.BatchMaker;
import dev.alexnet.data.FashionMnist;
import ai.djl.ndarray.NDArrays;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import dev.alexnet.model.Classifier;
import java.util.ArrayList;
import java.util.List;

/** Scores images with a trained classifier: the k most probable classes of each, by the names it was trained with. */
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

    /** Predicts with {@code model}, naming its outputs by the class names it was trained with. */
    public Predictor(Classifier model) {
        this(model, model.config().classNames());
    }

    /** Predicts with {@code model}, whose outputs are {@code classes} in order. */
    public Predictor(Classifier model, List<String> classes) {
        this.model = model;
        this.classes = List.copyOf(classes);
        this.resizer = new BatchMaker(model.config().inputSize());
    }

    /**
     * Returns the {@code k} most probable classes of each image of an (N, C, H, W) batch in [0, 1],
     * resized to the model's input as in training.
     */
    public List<List<Prediction>> top(NDArray images, int k) {
        NDArray input = resizer.resize(images);
        NDArray probabilities = model.infer(images.getManager(), new NDList(input)).singletonOrThrow().softmax(1);
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

    /**
     * One picture's prediction, or why it has none.
     *
     * @param file the picture
     * @param top its most probable classes, or {@code null} when it could not be read
     * @param error the one-line reason it could not be read, or {@code null}
     */
    public record FilePrediction(Path file, List<Prediction> top, String error) {}

    /**
     * Returns how many pictures go through the network at once unless told otherwise: the inference
     * batch of {@link dev.alexnet.model.EvaluationBatch} for this model.
     */
    public int defaultBatchSize() {
        return dev.alexnet.model.EvaluationBatch.size(model.config(), 1);
    }

    /**
     * Returns the {@code k} most probable classes of each picture, in order; a picture that cannot be
     * read gets its reason instead and the others are still predicted. Pictures are read and
     * prepared on all cores while the previous batch goes through the network; memory holds two
     * batches at most.
     */
    public List<FilePrediction> topOfFiles(List<Path> files, ImageInput.Invert invert, int k) {
        return topOfFiles(files, invert, k, defaultBatchSize());
    }

    /**
     * As {@link #topOfFiles(List, ImageInput.Invert, int)}, {@code batchSize} pictures at a time. The
     * engine's arithmetic depends slightly on the batch (a picture's probabilities move in the 7th
     * digit with its batch-mates); the same batches give the same bits.
     */
    public List<FilePrediction> topOfFiles(List<Path> files, ImageInput.Invert invert, int k, int batchSize) {
        int threads = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), files.size()));
        ExecutorService readers = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "picture-reader");
            thread.setDaemon(true);
            return thread;
        });
        NDManager current = null;
        NDManager next = model.model().getNDManager().newSubManager();
        try {
            List<FilePrediction> results = new ArrayList<>();
            List<Future<NDArray>> upcoming = submit(readers, files, 0, batchSize, next, invert, model.config());
            for (int from = 0; from < files.size(); from += batchSize) {
                current = next;
                List<Future<NDArray>> prepared = upcoming;
                next = model.model().getNDManager().newSubManager();
                upcoming = submit(readers, files, from + batchSize, batchSize, next, invert, model.config());
                results.addAll(predictBatch(files.subList(from, Math.min(from + batchSize, files.size())),
                        prepared, k));
                current.close();
                current = null;
            }
            return results;
        } finally {
            // the readers write into the managers: they stop before the managers close
            readers.shutdownNow();
            try {
                readers.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (current != null) {
                current.close();
            }
            next.close();
        }
    }

    private static List<Future<NDArray>> submit(ExecutorService readers, List<Path> files, int from, int batchSize,
            NDManager manager, ImageInput.Invert invert, dev.alexnet.model.ModelConfig config) {
        List<Future<NDArray>> futures = new ArrayList<>();
        for (int i = from; i < Math.min(from + batchSize, files.size()); i++) {
            Path file = files.get(i);
            futures.add(readers.submit(() -> ImageInput.load(file, manager, invert, config)));
        }
        return futures;
    }

    private List<FilePrediction> predictBatch(List<Path> files, List<Future<NDArray>> prepared, int k) {
        String[] errors = new String[files.size()];
        NDList images = new NDList();
        for (int i = 0; i < files.size(); i++) {
            try {
                images.add(await(prepared.get(i)));
            } catch (IllegalArgumentException e) {
                errors[i] = e.getMessage();
            }
        }
        List<List<Prediction>> tops = images.isEmpty() ? List.of() : top(NDArrays.stack(images), k);
        List<FilePrediction> results = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < files.size(); i++) {
            results.add(errors[i] != null ? new FilePrediction(files.get(i), null, errors[i])
                    : new FilePrediction(files.get(i), tops.get(next++), null));
        }
        return results;
    }

    private static NDArray await(Future<NDArray> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading pictures", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException refused) {
                throw refused;
            }
            throw new IllegalStateException("reading a picture failed: " + e.getCause(), e.getCause());
        }
    }

    /** Returns the {@code k} most probable classes of validation example {@code index} of {@code data}, batched as training batches are. */
    public List<Prediction> topOfValidation(dev.alexnet.data.DataModule data, int index, int k) {
        try (NDManager manager = model.model().getNDManager().newSubManager();
                Batch batch = data.validationBatch(index, index + 1, manager)) {
            return top(batch.getData().head(), k).get(0);
        }
    }
}
