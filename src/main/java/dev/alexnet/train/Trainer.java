package dev.alexnet.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.dataset.Batch;
import dev.alexnet.data.BatchStream;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.model.Networks;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits a {@link Classifier} to {@link FashionMnist}: the twin of the book's {@code d2l.Trainer}.
 *
 * <p>Each epoch trains over the shuffled training set, then scores the validation set. Everything
 * else, printing, files and checkpoints, is done by {@link TrainingListener}s.
 */
public final class Trainer {

    private final TrainingConfig config;
    private final List<TrainingListener> listeners;

    /** Creates a trainer that reports to {@code listeners}, in order. */
    public Trainer(TrainingConfig config, List<TrainingListener> listeners) {
        this.config = config;
        this.listeners = List.copyOf(listeners);
    }

    /** Creates a trainer that reports to no one. */
    public Trainer(TrainingConfig config) {
        this(config, List.of());
    }

    /** Trains {@code model} on {@code data} for the configured epochs and returns each epoch's metrics. */
    public List<EpochMetrics> fit(Classifier model, FashionMnist data) {
        if (model.config().inputSize() != data.config().resize()) {
            throw new IllegalArgumentException("the model takes " + model.config().inputSize()
                    + "x" + model.config().inputSize() + " inputs but the data is resized to "
                    + data.config().resize());
        }
        Engine.getInstance().setRandomSeed((int) config.seed());
        FitPlan plan = new FitPlan(config.maxEpochs(), data.batchCount(data.train()), data.train().size(),
                data.validation().size(), data.config().batchSize());
        DefaultTrainingConfig djlConfig = new DefaultTrainingConfig(model.loss()).optOptimizer(model.optimizer())
                .optDevices(new ai.djl.Device[] {model.model().getNDManager().getDevice()});
        List<EpochMetrics> history = new ArrayList<>();
        try (ai.djl.training.Trainer trainer = model.model().newTrainer(djlConfig);
                NDManager batchManager = model.model().getNDManager().newSubManager()) {
            trainer.initialize(Networks.inputShape(model.config(), 1));
            listeners.forEach(listener -> listener.onFitStart(plan));
            for (int epoch = 1; epoch <= config.maxEpochs(); epoch++) {
                EpochMetrics metrics = runEpoch(epoch, trainer, model, data, batchManager);
                history.add(metrics);
                listeners.forEach(listener -> listener.onEpochEnd(metrics));
            }
        }
        listeners.forEach(listener -> listener.onFitEnd(model, List.copyOf(history)));
        return history;
    }

    private EpochMetrics runEpoch(int epoch, ai.djl.training.Trainer trainer, Classifier model,
            FashionMnist data, NDManager batchManager) {
        long start = System.nanoTime();
        double lossSum = 0;
        long examples = 0;
        try (BatchStream batches = data.trainBatches(epoch, batchManager)) {
            int step = 0;
            long stepStart = System.nanoTime();
            while (batches.hasNext()) {
                try (Batch batch = batches.next()) {
                    float loss = trainStep(trainer, batch);
                    step++;
                    lossSum += (double) loss * batch.getSize();
                    examples += batch.getSize();
                    long now = System.nanoTime();
                    StepReport report = new StepReport(epoch, step, loss, batch.getSize(), now - stepStart);
                    stepStart = now;
                    listeners.forEach(listener -> listener.onStep(report));
                }
            }
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        Evaluation validation = model.evaluate(data.validationBatches(batchManager));
        double seconds = (System.nanoTime() - start) / 1e9;
        return new EpochMetrics(epoch, lossSum / examples, validation.loss(), validation.accuracy(),
                examples / trainSeconds, seconds);
    }

    /** One step of minibatch SGD; returns the batch's mean loss. */
    private static float trainStep(ai.djl.training.Trainer trainer, Batch batch) {
        float loss;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            // forward: logits for the batch, with dropout on
            NDList logits = trainer.forward(batch.getData());
            // loss: mean softmax cross-entropy against the labels
            NDArray lossValue = trainer.getLoss().evaluate(batch.getLabels(), logits);
            // backward: gradients of the loss for every parameter
            collector.backward(lossValue);
            loss = lossValue.getFloat();
        }
        // step: w -= lr * grad
        trainer.step();
        return loss;
    }
}
