package dev.alexnet.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.dataset.Batch;
import ai.djl.training.optimizer.Optimizer;
import dev.alexnet.data.BatchStream;
import dev.alexnet.data.DataModule;
import dev.alexnet.model.Classifier;
import dev.alexnet.model.Evaluation;
import dev.alexnet.model.EvaluationBatch;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.NetworkAnalysis;
import dev.alexnet.model.Networks;
import dev.alexnet.train.TrainingListener.CheckpointReason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Fits a {@link Classifier} to {@link DataModule}: the twin of the book's {@code d2l.Trainer}.
 *
 * <p>Each epoch trains over the shuffled training set, then scores the validation set. Everything
 * else, printing, files and checkpoints, is done by {@link TrainingListener}s. A run can start from
 * a saved {@link TrainingState} and then continues exactly as the uninterrupted run would: the data
 * order depends only on the seed and the epoch, and each step reseeds the engine from the seed and
 * the step number, so dropout draws the same masks.
 */
public final class Trainer {

    private final TrainingConfig config;
    private final List<TrainingListener> listeners;
    private volatile boolean stopRequested;
    private long lastCheckpointNanos;

    /** Creates a trainer that reports to {@code listeners}, in order. */
    public Trainer(TrainingConfig config, List<TrainingListener> listeners) {
        this.config = config;
        this.listeners = List.copyOf(listeners);
    }

    /** Creates a trainer that reports to no one. */
    public Trainer(TrainingConfig config) {
        this(config, List.of());
    }

    /**
     * Asks the run to stop after its current step (or validation batch); safe from any thread, such
     * as a signal handler. The run then checkpoints and throws {@link TrainingStoppedException}.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** Returns whether a stop was requested. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Trains a new {@code model} on {@code data} for the configured epochs and returns each epoch's metrics. */
    public List<EpochMetrics> fit(Classifier model, DataModule data) {
        return fit(model, data, TrainingState.start(), null);
    }

    /**
     * Continues training {@code model}, whose parameters match {@code start}, until the configured
     * epochs are done, and returns the metrics of every epoch of the run. The optimizer is made
     * afresh from the model's choice, for this fit's length; {@code optimizerState} (when not null)
     * then puts a saved state into it.
     *
     * @throws TrainingStoppedException if {@link #requestStop()} was called
     * @throws TrainingDivergedException if the loss stops being finite
     */
    public List<EpochMetrics> fit(Classifier model, DataModule data, TrainingState start,
            Consumer<Optimizer> optimizerState) {
        if (model.config().inputSize() != data.config().resize()) {
            throw new IllegalArgumentException("the model takes " + model.config().inputSize()
                    + "x" + model.config().inputSize() + " inputs but the data is resized to "
                    + data.config().resize());
        }
        List<Integer> sizes = IntStream.rangeClosed(1, config.maxEpochs()).map(data.config()::trainSize).boxed().toList();
        FitPlan plan = new FitPlan(config.maxEpochs(), data.batchCount(data.train()), data.train().size(),
                data.validation().size(), data.config().batchSize(), data.config().resize(), sizes,
                costs(model.config(), sizes));
        TrainingState state = start;
        Optimizer optimizer = Optimizers.create(model.optimizer(), plan.stepsPerEpoch() * config.maxEpochs());
        if (optimizerState != null) {
            optimizerState.accept(optimizer);
        }
        try (ai.djl.training.Trainer trainer = newEngineTrainer(model, optimizer);
                // Batches live outside the model's manager, so that its array count shows leaks alone.
                NDManager batchManager = NDManager.newBaseManager(model.model().getNDManager().getDevice())) {
            // Seeds the initial parameters; parameters already loaded from a checkpoint are kept.
            Engine.getInstance().setRandomSeed(stepSeed(-1));
            trainer.initialize(Networks.inputShape(model.config(), 1));
            TrainingState begin = state;
            each(listener -> listener.onFitStart(plan, begin));
            lastCheckpointNanos = System.nanoTime();
            while (state.epochsDone() < config.maxEpochs()) {
                state = runEpoch(state, plan, trainer, new Fitted(model, optimizer), data, batchManager);
            }
        } catch (TrainingStoppedException | TrainingDivergedException e) {
            each(listener -> listener.onFitAborted(e));
            throw e;
        }
        List<EpochMetrics> history = state.history();
        each(listener -> listener.onFitEnd(model, history));
        return history;
    }

    /** Returns the training FLOPs of one example at each of {@code sizes} and at the network's input size. */
    private static Map<Integer, Double> costs(ModelConfig network, List<Integer> sizes) {
        Set<Integer> all = new TreeSet<>(sizes);
        all.add(network.inputSize());
        if (all.size() == 1) {
            // one size: nothing to weigh, and no network to build for it
            return Map.of(network.inputSize(), 1.0);
        }
        SequentialBlock block = Networks.build(network);
        Map<Integer, Double> costs = new HashMap<>();
        for (int size : all) {
            costs.put(size, NetworkAnalysis.of(block, new Shape(1, network.channels(), size, size)).trainFlopsPerExample());
        }
        return costs;
    }

    /** The model being fitted and the optimizer fitting it: what a checkpoint saves. */
    private record Fitted(Classifier model, Optimizer optimizer) {}

    private TrainingState runEpoch(TrainingState from, FitPlan plan, ai.djl.training.Trainer trainer,
            Fitted model, DataModule data, NDManager batchManager) {
        int epoch = from.epochsDone() + 1;
        int steps = plan.stepsPerEpoch();
        int half = (steps + 1) / 2;
        EpochRun run = new EpochRun(from);
        try (BatchStream batches = data.trainBatches(epoch, config.seed(), from.stepInEpoch(), batchManager)) {
            long stepStart = System.nanoTime();
            while (batches.hasNext()) {
                try (Batch batch = batches.next()) {
                    // dropout's randomness is a function of the seed and the step, so a resumed run repeats it
                    Engine.getInstance().setRandomSeed(stepSeed(run.globalStep));
                    StepOutcome outcome = trainStep(trainer, batch.getData(), batch.getLabels());
                    float loss = outcome.loss();
                    if (!Float.isFinite(loss)) {
                        throw new TrainingDivergedException(epoch, run.step + 1, run.globalStep + 1, loss, run.snapshot());
                    }
                    long now = System.nanoTime();
                    run.add(loss, outcome.correct(), batch.getSize(), now - stepStart);
                    stepStart = now;
                    StepReport report = new StepReport(epoch, run.step, loss, batch.getSize(), run.lastNanos);
                    each(listener -> listener.onStep(report));
                }
                if (run.step == half || run.step == steps) {
                    TrainLossPoint point = run.closePoint(epoch - 1 + (double) run.step / steps);
                    each(listener -> listener.onTrainLossPoint(point));
                }
                if (stopRequested) {
                    stop(run.snapshot(), model);
                }
                if (config.checkpointEvery() != null && run.globalStep % config.checkpointEvery() == 0
                        && run.step < steps) {
                    checkpoint(run.snapshot(), model, CheckpointReason.STEP_INTERVAL);
                } else if (config.checkpointMinutes() != null && run.step < steps
                        && System.nanoTime() - lastCheckpointNanos >= config.checkpointMinutes() * 60_000_000_000L) {
                    checkpoint(run.snapshot(), model, CheckpointReason.TIME_INTERVAL);
                }
            }
        }
        long validationStart = System.nanoTime();
        Evaluation validation;
        try (BatchStream batches = data.validationBatches(batchManager,
                EvaluationBatch.size(model.model().config(), data.config().batchSize()))) {
            validation = model.model().evaluate(untilStopped(batches));
        }
        if (stopRequested) {
            stop(run.snapshot(), model);
        }
        long validationNanos = System.nanoTime() - validationStart;
        EpochMetrics metrics = new EpochMetrics(epoch, run.lossSum / run.examples, validation.loss(),
                validation.accuracy(), run.examples / (run.trainNanos / 1e9),
                (run.trainNanos + validationNanos) / 1e9, (double) run.correct / run.examples,
                data.config().trainSize(epoch));
        run.history.add(metrics);
        TrainingState end = TrainingState.epochEnd(epoch, run.globalStep, run.history, run.points);
        each(listener -> listener.onEpochEnd(metrics));
        checkpoint(end, model, CheckpointReason.EPOCH_END);
        return end;
    }

    /** Returns DJL's trainer for {@code model}: its training loss and {@code optimizer}, on its device. */
    public static ai.djl.training.Trainer newEngineTrainer(Classifier model, Optimizer optimizer) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(model.trainingLoss()).optOptimizer(optimizer)
                .optDevices(new Device[] {model.model().getNDManager().getDevice()});
        return model.model().newTrainer(config);
    }

    /** Yields {@code batches} until a stop is requested. */
    private Iterator<Batch> untilStopped(Iterator<Batch> batches) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !stopRequested && batches.hasNext();
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batches.next();
            }
        };
    }

    private void stop(TrainingState state, Fitted model) {
        checkpoint(state, model, CheckpointReason.STOP);
        throw new TrainingStoppedException(state);
    }

    private void checkpoint(TrainingState state, Fitted fitted, CheckpointReason reason) {
        lastCheckpointNanos = System.nanoTime();
        each(listener -> listener.onCheckpoint(state, fitted.model(), fitted.optimizer(), reason));
    }

    private void each(Consumer<TrainingListener> event) {
        listeners.forEach(event);
    }

    /** Returns the engine seed for a step: distinct per step, fixed by the run's seed. */
    private int stepSeed(long globalStep) {
        return Long.hashCode(config.seed() * 0x9E3779B97F4A7C15L + globalStep);
    }

    /**
     * What one training step measured.
     *
     * @param loss the batch's mean loss
     * @param correct how many of the batch's examples the forward pass classified right
     */
    public record StepOutcome(float loss, long correct) {}

    /**
     * One step of minibatch SGD. Arrays it creates belong to the inputs' manager, which the caller
     * closes.
     */
    public static StepOutcome trainStep(ai.djl.training.Trainer trainer, NDList data, NDList labels) {
        float loss;
        long correct;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            // forward: logits for the batch, with dropout on
            NDList logits = trainer.forward(data);
            // loss: mean softmax cross-entropy against the labels (smoothed when so configured)
            NDArray lossValue = trainer.getLoss().evaluate(labels, logits);
            // backward: gradients of the loss for every parameter
            collector.backward(lossValue);
            loss = lossValue.getFloat();
            correct = Classifier.countCorrect(logits.singletonOrThrow(), labels.singletonOrThrow());
        }
        if (Float.isFinite(loss)) {
            // step: w -= lr * grad (a non-finite loss leaves the weights as they were)
            trainer.step();
        }
        return new StepOutcome(loss, correct);
    }

    /** The running sums of one epoch, started from a saved state. */
    private static final class EpochRun {
        final int epochsDone;
        int step;
        long globalStep;
        double lossSum;
        long examples;
        long trainNanos;
        long lastNanos;
        double pointLossSum;
        long pointExamples;
        long correct;
        final List<EpochMetrics> history;
        final List<TrainLossPoint> points;

        EpochRun(TrainingState from) {
            epochsDone = from.epochsDone();
            step = from.stepInEpoch();
            globalStep = from.globalStep();
            lossSum = from.lossSum();
            examples = from.examples();
            trainNanos = from.trainNanos();
            pointLossSum = from.pointLossSum();
            pointExamples = from.pointExamples();
            correct = from.correct();
            history = new ArrayList<>(from.history());
            points = new ArrayList<>(from.trainPoints());
        }

        void add(float loss, long right, int size, long nanos) {
            step++;
            correct += right;
            globalStep++;
            lossSum += (double) loss * size;
            pointLossSum += (double) loss * size;
            examples += size;
            pointExamples += size;
            trainNanos += nanos;
            lastNanos = nanos;
        }

        TrainLossPoint closePoint(double x) {
            TrainLossPoint point = new TrainLossPoint(x, pointLossSum / pointExamples);
            points.add(point);
            pointLossSum = 0;
            pointExamples = 0;
            return point;
        }

        TrainingState snapshot() {
            return new TrainingState(epochsDone, step, globalStep, lossSum, examples, trainNanos,
                    pointLossSum, pointExamples, correct, history, points);
        }
    }
}
