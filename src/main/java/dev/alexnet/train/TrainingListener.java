package dev.alexnet.train;

import ai.djl.training.optimizer.Optimizer;
import dev.alexnet.model.Classifier;
import java.util.List;

/**
 * Hears what a {@link Trainer} does, so that printing, files and checkpoints stay out of the loop.
 *
 * <p>Every method does nothing by default; implement the ones you need.
 */
public interface TrainingListener {

    /** Why a checkpoint is due. */
    enum CheckpointReason {
        /** An epoch and its validation finished. */
        EPOCH_END,
        /** The configured number of steps passed. */
        STEP_INTERVAL,
        /** The configured minutes of training passed since the last checkpoint. */
        TIME_INTERVAL,
        /** The run was asked to stop. */
        STOP
    }

    /** Called once before the first step, with the state the run starts from (fresh or resumed). */
    default void onFitStart(FitPlan plan, TrainingState start) {}

    /** Called after every training step. */
    default void onStep(StepReport step) {}

    /** Called at each point of the training-loss curve, twice per epoch. */
    default void onTrainLossPoint(TrainLossPoint point) {}

    /** Called after each epoch's validation. */
    default void onEpochEnd(EpochMetrics metrics) {}

    /**
     * Called when a checkpoint is due; {@code state}, the model's parameters and the optimizer's
     * state describe the same moment.
     */
    default void onCheckpoint(TrainingState state, Classifier model, Optimizer optimizer, CheckpointReason reason) {}

    /** Called once after the last epoch, with the trained model. */
    default void onFitEnd(Classifier model, List<EpochMetrics> history) {}

    /** Called when the run ends early: stopped on request or diverged. */
    default void onFitAborted(RuntimeException cause) {}
}
