package dev.alexnet.train;

import java.util.List;

/**
 * Hears what a {@link Trainer} does, so that printing, files and checkpoints stay out of the loop.
 *
 * <p>Every method does nothing by default; implement the ones you need.
 */
public interface TrainingListener {

    /** Called once before the first step. */
    default void onFitStart(FitPlan plan) {}

    /** Called after every training step. */
    default void onStep(StepReport step) {}

    /** Called after each epoch's validation. */
    default void onEpochEnd(EpochMetrics metrics) {}

    /** Called once after the last epoch, with the trained model. */
    default void onFitEnd(Classifier model, List<EpochMetrics> history) {}
}
