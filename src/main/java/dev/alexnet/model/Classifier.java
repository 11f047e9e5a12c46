package dev.alexnet.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import dev.alexnet.io.Digests;
import dev.alexnet.io.Messages;
import java.util.Iterator;

/**
 * A network that classifies images, with its loss and its optimizer choice: the twin of the book's
 * {@code d2l.Classifier}.
 *
 * <p>Like the book's classifier it owns its loss (softmax cross-entropy) and its optimizer choice
 * (plain SGD at a fixed learning rate for the book; the trainer builds the optimizer from it), and
 * it knows how to score itself on validation batches.
 */
public final class Classifier implements AutoCloseable {

    /** Where {@link #save} puts the parameters before renaming them into place. */
    public static final String STAGING_DIR = ".saving";

    static {
        NativeLog.apply();
    }

    private final ModelConfig config;
    private final OptimizerConfig optimizer;
    private final Model model;

    /** Creates the network {@code config} names, not yet initialized, on {@code device}, to be trained by {@code optimizer}. */
    public Classifier(ModelConfig config, OptimizerConfig optimizer, Device device) {
        this.config = config;
        this.optimizer = optimizer;
        this.model = Model.newInstance(config.name(), device);
        model.setBlock(Networks.build(config));
    }

    /** Creates the network {@code config} names on {@code device}, to be loaded with weights and used, not trained. */
    public static Classifier forInference(ModelConfig config, Device device) {
        return new Classifier(config, null, device);
    }

    /** Creates the network on the engine's default device (a GPU when there is one). */
    public Classifier(ModelConfig config, OptimizerConfig optimizer) {
        this(config, optimizer, Engine.getInstance().defaultDevice());
    }

    /** Returns what the network is. */
    public ModelConfig config() {
        return config;
    }

    /**
     * Returns how the network is to be trained.
     *
     * @throws IllegalStateException for a model made {@link #forInference for inference}
     */
    public OptimizerConfig optimizer() {
        if (optimizer == null) {
            throw new IllegalStateException(config.name() + " was loaded for inference and has no optimizer; "
                    + "build it with an OptimizerConfig to train it");
        }
        return optimizer;
    }

    /** Returns the DJL model holding the network. */
    public Model model() {
        return model;
    }

    /** Returns the network. */
    public Block block() {
        return model.getBlock();
    }

    /**
     * Returns the loss that scores the model (validation, test, {@code evaluate}): softmax
     * cross-entropy on the logits, mean over the batch.
     */
    public Loss loss() {
        return Loss.softmaxCrossEntropyLoss();
    }

    /**
     * Returns the loss the model is trained on: {@link #loss()}, or with label smoothing when the
     * optimizer configuration asks for it.
     *
     * @throws IllegalStateException for a model made {@link #forInference for inference}
     */
    public Loss trainingLoss() {
        return trainingLoss(optimizer());
    }

    /** Returns the loss a network trained by {@code optimizer} is trained on. */
    public static Loss trainingLoss(OptimizerConfig optimizer) {
        float smoothing = optimizer.labelSmoothing();
        return smoothing > 0 ? new SmoothedCrossEntropyLoss(smoothing) : Loss.softmaxCrossEntropyLoss();
    }

    /**
     * Runs the network on {@code input} for inference, on any thread: dropout off, batch norm on its
     * running statistics, and no graph recorded. PyTorch's grad mode is per thread and on by default in
     * a thread the engine has not touched (a server's engine thread, a Spark task), where a network
     * whose parameters take gradients (one being trained) would record its whole graph; it is switched
     * off for the call and restored after it.
     *
     * @param manager owns the arrays the network makes
     */
    public NDList infer(NDManager manager, NDList input) {
        boolean recording = JniUtils.isGradMode();
        if (recording) {
            JniUtils.setGradMode(false);
        }
        try {
            return block().forward(new ParameterStore(manager, false), input, false);
        } finally {
            if (recording) {
                JniUtils.setGradMode(true);
            }
        }
    }

    /** Receives, batch by batch in order, each example's label, predicted class and its probability. */
    @FunctionalInterface
    public interface PredictionSink {
        void accept(long[] labels, long[] predicted, float[] probability);
    }

    /**
     * Scores the model on every batch {@code batches} yields, in inference mode (no dropout, no
     * gradients), closing each batch; the caller owns and closes the source of the batches.
     */
    public Evaluation evaluate(Iterator<Batch> batches) {
        return evaluate(batches, null);
    }

    /** Scores the model like {@link #evaluate(Iterator)}, also handing each batch's predictions to {@code sink} (when not null). */
    public Evaluation evaluate(Iterator<Batch> batches, PredictionSink sink) {
        Loss loss = loss();
        double lossSum = 0;
        long correct = 0;
        long examples = 0;
        while (batches.hasNext()) {
            try (Batch batch = batches.next()) {
                NDList logits = infer(batch.getManager(), batch.getData());
                NDArray labels = batch.getLabels().singletonOrThrow();
                lossSum += loss.evaluate(batch.getLabels(), logits).getFloat() * batch.getSize();
                correct += countCorrect(logits.singletonOrThrow(), labels);
                if (sink != null) {
                    NDArray probabilities = logits.singletonOrThrow().softmax(1);
                    sink.accept(labels.toLongArray(), probabilities.argMax(1).toLongArray(),
                            probabilities.max(new int[] {1}).toFloatArray());
                }
                examples += batch.getSize();
            }
        }
        return new Evaluation(examples, lossSum / examples, (double) correct / examples);
    }

    /** Returns how many rows of {@code logits} score their label highest. */
    public static long countCorrect(NDArray logits, NDArray labels) {
        return logits.argMax(1).toType(DataType.INT64, false).eq(labels).sum().getLong();
    }

    /**
     * Writes the parameters into {@code dir} as DJL's {@code <name>-<epoch>.params}, loadable with
     * {@code Model.load}. The file is written beside and renamed into place, so it is whole or absent.
     */
    public void save(Path dir, int epoch) {
        model.setProperty("Epoch", Integer.toString(epoch));
        Path staging = dir.resolve(STAGING_DIR);
        try {
            Files.createDirectories(staging);
            model.save(staging, config.name());
            String paramsName = String.format(java.util.Locale.ROOT, "%s-%04d.params", config.name(), epoch);
            // sealed like a checkpoint: the digest beside the file, checked whenever it is loaded
            Files.writeString(staging.resolve(paramsName + SEAL_SUFFIX),
                    Digests.sha256Hex(staging.resolve(paramsName)) + "\n");
            // a seal left from an earlier save of this name goes first: a kill before the new one lands
            // leaves the new parameters unsealed (loaded as an old run's), never under a stale seal
            Files.deleteIfExists(dir.resolve(paramsName + SEAL_SUFFIX));
            try (var saved = Files.list(staging)) {
                // the parameters before their seal, so that a seal always has its file
                for (Path file : saved.sorted(java.util.Comparator.comparing(
                        (Path f) -> f.getFileName().toString().endsWith(SEAL_SUFFIX))).toList()) {
                    Files.move(file, dir.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.delete(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the model to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads the parameters saved in {@code dir} into this model's network.
     *
     * @throws IllegalArgumentException if the file is missing or was saved from another network
     */
    public void loadParameters(Path dir) {
        checkSeal(dir);
        try {
            model.load(dir, config.name());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new IllegalArgumentException(dir + ": cannot load " + config.name() + " parameters ("
                    + Messages.firstLine(e.getMessage()) + ")", e);
        }
        checkParametersFit(dir.toString());
        checkFinite(dir.toString());
    }

    /**
     * Returns the saved parameters of network {@code name} in {@code dir} that DJL loads, the newest
     * {@code name-NNNN.params}, or {@code null} when there are none.
     */
    public static Path savedParameters(Path dir, String name) {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches(
                    java.util.regex.Pattern.quote(name) + "-\\d{4}\\.params"))
                    .max(java.util.Comparator.comparing(f -> f.getFileName().toString())).orElse(null);
        } catch (IOException e) {
            throw new IllegalArgumentException(dir + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    /** The suffix of the file beside a saved model that holds its SHA-256. */
    public static final String SEAL_SUFFIX = ".sha256";

    /**
     * Checks the saved model DJL would load from {@code dir} (its newest {@code name-NNNN.params})
     * against the digest saved beside it. Models saved before seals existed have none and load as
     * before.
     */
    private void checkSeal(Path dir) {
        Path newest = savedParameters(dir, config.name());
        if (newest == null) {
            return; // DJL says what is missing
        }
        Path seal = newest.resolveSibling(newest.getFileName() + SEAL_SUFFIX);
        if (!Files.exists(seal)) {
            return;
        }
        try {
            if (!Files.readString(seal).strip().equals(Digests.sha256Hex(newest))) {
                throw new IllegalArgumentException(newest + ": the saved model is corrupt (its SHA-256 differs from "
                        + seal.getFileName() + "); nothing was loaded");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(seal + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Refuses parameters with NaN or infinite values: a model that computes nothing meaningful, or
     * a file damaged on the way.
     *
     * @throws IllegalArgumentException naming {@code source} and the first such parameter
     */
    public void checkFinite(String source) {
        for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> pair : block().getParameters()) {
            NDArray array = pair.getValue().getArray();
            if (!array.getDataType().isFloating()) {
                continue;
            }
            try (NDManager scratch = model.getNDManager().newSubManager()) {
                NDArray nan = array.isNaN();
                nan.attach(scratch);
                NDArray infinite = array.isInfinite();
                infinite.attach(scratch);
                if (nan.logicalOr(infinite).any().getBoolean()) {
                    throw new IllegalArgumentException(source + ": parameter " + pair.getKey()
                            + " holds NaN or infinite values; the model is not used");
                }
            }
        }
    }

    /**
     * Runs one zero image through the network to prove that loaded parameters fit it: DJL's loader
     * checks names but not shapes, so parameters of another input size would otherwise fail later.
     *
     * @throws IllegalArgumentException naming {@code source} if they do not fit
     */
    public void checkParametersFit(String source) {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList input = new NDList(manager.zeros(Networks.inputShape(config, 1)));
            Shape output = infer(manager, input).singletonOrThrow().getShape();
            if (!output.equals(new Shape(1, config.numClasses()))) {
                throw new IllegalArgumentException("output shape " + output);
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": parameters do not fit " + config.name() + " with "
                    + config.inputSize() + "x" + config.inputSize() + " input (" + Messages.firstLine(e.getMessage()) + ")", e);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
