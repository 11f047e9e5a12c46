package dev.alexnet.serve;

import ai.djl.ndarray.NDManager;
import dev.alexnet.model.Classifier;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.predict.ImageInput;
import dev.alexnet.predict.Predictor;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

/**
 * One model the server answers for: its name, the classifier, where it came from, and the batcher
 * that runs its requests. Pictures go through {@link ImageInput}, the path {@code predict} takes.
 */
final class ServedModel implements AutoCloseable {

    private final String name;
    private final String source;
    private final Classifier classifier;
    private final List<String> classes;
    private final Batcher batcher;

    ServedModel(String name, String source, Classifier classifier, List<String> classes, int maxBatch,
            long maxDelayMillis, IntConsumer batchSizes) {
        this.name = name;
        this.source = source;
        this.classifier = classifier;
        this.classes = List.copyOf(classes);
        this.batcher = new Batcher(new Predictor(classifier, classes), classifier.model().getNDManager(),
                classes.size(), maxBatch, maxDelayMillis, batchSizes, name);
    }

    String name() {
        return name;
    }

    String source() {
        return source;
    }

    ModelConfig config() {
        return classifier.config();
    }

    List<String> classes() {
        return classes;
    }

    /** Returns the image sides an FP32 input may have: 28 (resized as in training) and the network's own. */
    boolean acceptsSide(long side) {
        return side == ImageInput.SIDE || side == classifier.config().inputSize();
    }

    /** Returns the input's channels: 1 (grey) or 3 (RGB). */
    int channels() {
        return classifier.config().channels();
    }

    /** Returns the side of the images {@link #prepare} makes: 28 for Fashion-MNIST-style pictures, else the input's. */
    int pictureSide() {
        return classifier.config().fashionMnistStyle() ? ImageInput.SIDE : classifier.config().inputSize();
    }

    /** Wraps prepared pictures' pixels for {@link #predict}. */
    Batcher.Images pictures(float[] pixels, int count) {
        return new Batcher.Images(pixels, count, channels(), pictureSide());
    }

    /** Marks a request as on its way, so the batcher waits for it; close the ticket when it is answered. */
    Ticket open() {
        return batcher.open();
    }

    /**
     * Turns an encoded picture into the image the network receives ({@link #channels} planes of
     * {@link #pictureSide} squared), in [0, 1], row-major, as {@code predict} does.
     */
    float[] prepare(byte[] encoded, String label, ImageInput.Invert invert, long deadline) {
        BufferedImage picture = ImageInput.decode(encoded, label, classifier.config(), deadline);
        try (NDManager manager = classifier.model().getNDManager().newSubManager()) {
            return ImageInput.toTensor(picture, manager, invert, classifier.config()).toFloatArray();
        }
    }

    /** Queues images for the network; each answer lists every class, most probable first. */
    CompletableFuture<List<List<Predictor.Prediction>>> predict(Batcher.Images images) {
        return batcher.submit(images);
    }

    @Override
    public void close() {
        // a batch still running after the wait keeps its model: the process is ending anyway
        if (batcher.stop()) {
            classifier.close();
        }
    }
}
