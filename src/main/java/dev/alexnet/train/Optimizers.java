package dev.alexnet.train;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;
import dev.alexnet.model.OptimizerConfig;

/** Builds the optimizer an {@link OptimizerConfig} describes, new for each fit. */
public final class Optimizers {

    private Optimizers() {}

    /**
     * Returns a fresh optimizer for a run of {@code totalSteps} steps (the cosine schedule's length):
     * plain SGD at the fixed rate as the book, or Adam with its schedule.
     */
    public static Optimizer create(OptimizerConfig config, int totalSteps) {
        float rate = config.learningRate();
        if (config.name().equals("adam")) {
            Tracker schedule = config.cosine()
                    ? CosineTracker.builder().setBaseValue(rate).optFinalValue(rate / 100)
                            .setMaxUpdates(Math.max(1, totalSteps - config.warmupSteps())).build()
                    : Tracker.fixed(rate);
            if (config.warmupSteps() > 0) {
                schedule = WarmUpTracker.builder().setMainTracker(schedule).optWarmUpSteps(config.warmupSteps())
                        .optWarmUpBeginValue(0f).build();
            }
            return new StatefulAdam(schedule, config.weightDecay());
        }
        return Optimizer.sgd().setLearningRateTracker(Tracker.fixed(rate)).optWeightDecays(config.weightDecay()).build();
    }
}
