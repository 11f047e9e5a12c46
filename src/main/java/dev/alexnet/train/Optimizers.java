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
     * plain SGD at the fixed rate as the book, SGD with momentum or a schedule, or Adam / AdamW with its schedule.
     *
     * <p>The rate at update t = 1, 2, … (W warm-up steps, T steps in all, r the configured rate):
     * {@code r·t/W} while t < W; then, with cosine decay, {@code r/100 + (r − r/100)·(1 + cos(π·(t−W)/(T−W)))/2}
     * (r/100 once t − W passes T − W), else r. In PyTorch: {@code LambdaLR} with that factor of
     * {@code step + 1}, stepped after every update.
     */
    public static Optimizer create(OptimizerConfig config, int totalSteps) {
        if (config.name().equals("adam") || config.name().equals("adamw")) {
            return new StatefulAdam(schedule(config, totalSteps), config.weightDecay(), config.name().equals("adamw"));
        }
        if (config.momentum() > 0 || config.scheduled()) {
            return new StatefulSgd(schedule(config, totalSteps), config.weightDecay(), config.momentum(), config.nesterov());
        }
        // the book's plain SGD at a constant rate: DJL's fused update, no state
        return Optimizer.sgd().setLearningRateTracker(Tracker.fixed(config.learningRate()))
                .optWeightDecays(config.weightDecay()).build();
    }

    /** Returns the learning rate by update number (1-based) for a run of {@code totalSteps} steps. */
    public static Tracker schedule(OptimizerConfig config, int totalSteps) {
        float rate = config.learningRate();
        Tracker schedule = config.cosine()
                ? CosineTracker.builder().setBaseValue(rate).optFinalValue(rate / 100)
                        .setMaxUpdates(Math.max(1, totalSteps - config.warmupSteps())).build()
                : Tracker.fixed(rate);
        if (config.warmupSteps() > 0) {
            schedule = WarmUpTracker.builder().setMainTracker(schedule).optWarmUpSteps(config.warmupSteps())
                    .optWarmUpBeginValue(0f).build();
        }
        return schedule;
    }
}
