package dev.alexnet.train;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;
import dev.alexnet.train.optim.StatefulAdam;
import dev.alexnet.data.BatchStream;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.Networks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.BooleanSupplier;

/**
 * A network that classifies images, with its loss and optimizer: the twin of the book's
 * {@code d2l.Classifier}.
 *
 * <p>Like the book's classifier it owns its loss (softmax cross-entropy) and its optimizer (plain
 * SGD at a fixed learning rate), and it knows how to score itself on validation batches.
 */
public final class Classifier implements AutoCloseable {

    private final ModelConfig config;
    private final float learningRate;
    private final OptimizerConfig optimizerConfig;
    private final Model model;
    private Optimizer optimizer;
    private java.util.function.Consumer<StatefulAdam> pendingOptimizerState;

    /** Creates the network {@code config} names, not yet initialized, on {@code device}, trained by plain SGD. */
    public Classifier(ModelConfig config, float learningRate, Device device) {
        this(config, learningRate, OptimizerConfig.SGD, device);
    }

    /** Creates the network {@code config} names, not yet initialized, on {@code device}. */
    public Classifier(ModelConfig config, float learningRate, OptimizerConfig optimizerConfig, Device device) {
        this.config = config;
        this.learningRate = learningRate;
        this.optimizerConfig = optimizerConfig;
        this.model = Model.newInstance(config.name(), device);
        model.setBlock(Networks.build(config));
    }

    /** Creates the book's model: {@code AlexNet(lr=0.01)} on the engine's default device. */
    public static Classifier book() {
        return new Classifier(ModelConfig.BOOK, 0.01f, ai.djl.engine.Engine.getInstance().defaultDevice());
    }

    /** Returns what the network is. */
    public ModelConfig config() {
        return config;
    }

    /** Returns the SGD learning rate. */
    public float learningRate() {
        return learningRate;
    }

    /** Returns the DJL model holding the network. */
    public Model model() {
        return model;
    }

    /** Returns the network. */
    public Block block() {
        return model.getBlock();
    }

    /** Returns the training loss: softmax cross-entropy on the logits, mean over the batch. */
    public Loss loss() {
        return Loss.softmaxCrossEntropyLoss();
    }

    /**
     * Returns the optimizer, made on first use for a run of {@code totalSteps} steps (the cosine
     * schedule's length): plain SGD at the fixed rate as the book, or Adam with its schedule.
     */
    public Optimizer optimizer(int totalSteps) {
        if (optimizer == null) {
            if (optimizerConfig.name().equals("adam")) {
                Tracker rate = optimizerConfig.cosine()
                        ? CosineTracker.builder().setBaseValue(learningRate).optFinalValue(learningRate / 100)
                                .setMaxUpdates(Math.max(1, totalSteps - optimizerConfig.warmupSteps())).build()
                        : Tracker.fixed(learningRate);
                if (optimizerConfig.warmupSteps() > 0) {
                    rate = WarmUpTracker.builder().setMainTracker(rate).optWarmUpSteps(optimizerConfig.warmupSteps())
                            .optWarmUpBeginValue(0f).build();
                }
                StatefulAdam adam = new StatefulAdam(rate, optimizerConfig.weightDecay());
                if (pendingOptimizerState != null) {
                    pendingOptimizerState.accept(adam);
                    pendingOptimizerState = null;
                }
                optimizer = adam;
            } else {
                optimizer = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(learningRate))
                        .optWeightDecays(optimizerConfig.weightDecay()).build();
            }
        }
        return optimizer;
    }

    /** Returns the optimizer's configuration. */
    public OptimizerConfig optimizerConfig() {
        return optimizerConfig;
    }

    /** Returns the Adam optimizer in use, or {@code null} (plain SGD, or not made yet). */
    public StatefulAdam adam() {
        return optimizer instanceof StatefulAdam adam ? adam : null;
    }

    /** Arranges for saved optimizer state to be put into the optimizer when it is made. */
    public void restoreOptimizerState(java.util.function.Consumer<StatefulAdam> restore) {
        this.pendingOptimizerState = restore;
    }

    /** Scores the model on every batch of {@code batches}, in inference mode (no dropout, no gradients). */
    public Evaluation evaluate(BatchStream batches) {
        return evaluate(batches, () -> false);
    }

    /**
     * Scores the model like {@link #evaluate(BatchStream)}, checking {@code stop} between batches.
     *
     * @return the evaluation, or {@code null} if {@code stop} said to stop before the end
     */
    public Evaluation evaluate(BatchStream batches, BooleanSupplier stop) {
        return evaluate(batches, stop, null);
    }

    /** Receives, batch by batch in order, each example's label, predicted class and its probability. */
    @FunctionalInterface
    public interface PredictionSink {
        void accept(long[] labels, long[] predicted, float[] probability);
    }

    /**
     * Scores the model like {@link #evaluate(BatchStream, BooleanSupplier)}, also handing each
     * batch's predictions to {@code sink} (when not null).
     */
    public Evaluation evaluate(BatchStream batches, BooleanSupplier stop, PredictionSink sink) {
        Loss loss = loss();
        ParameterStore store = new ParameterStore(model.getNDManager(), false);
        double lossSum = 0;
        long correct = 0;
        long examples = 0;
        try (batches) {
            while (batches.hasNext()) {
                if (stop.getAsBoolean()) {
                    return null;
                }
                try (Batch batch = batches.next()) {
                    NDList logits = block().forward(store, batch.getData(), false);
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
        }
        return new Evaluation(examples, lossSum / examples, (double) correct / examples);
    }

    /** Returns how many rows of {@code logits} score their label highest. */
    static long countCorrect(NDArray logits, NDArray labels) {
        return logits.argMax(1).toType(DataType.INT64, false).eq(labels).sum().getLong();
    }

    /**
     * Writes the parameters into {@code dir} as DJL's {@code <name>-<epoch>.params}, loadable with
     * {@code Model.load}. The file is written beside and renamed into place, so it is whole or absent.
     */
    public void save(Path dir, int epoch) {
        model.setProperty("Epoch", Integer.toString(epoch));
        Path staging = dir.resolve(".saving");
        try {
            Files.createDirectories(staging);
            model.save(staging, config.name());
            try (var saved = Files.list(staging)) {
                for (Path file : saved.toList()) {
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
        try {
            model.load(dir, config.name());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw new IllegalArgumentException(dir + ": cannot load " + config.name() + " parameters ("
                    + firstLine(e.getMessage()) + ")", e);
        }
        checkParametersFit(dir.toString());
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
            Shape output = block().forward(new ParameterStore(manager, false), input, false).singletonOrThrow().getShape();
            if (!output.equals(new Shape(1, config.numClasses()))) {
                throw new IllegalArgumentException("output shape " + output);
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(source + ": parameters do not fit " + config.name() + " with "
                    + config.inputSize() + "x" + config.inputSize() + " input (" + firstLine(e.getMessage()) + ")", e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public void close() {
        model.close();
    }
}
