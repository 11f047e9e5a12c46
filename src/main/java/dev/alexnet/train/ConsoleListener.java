package dev.alexnet.train;

import dev.alexnet.model.Classifier;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Prints a run's progress for people: an estimate of the whole run's time soon after it starts,
 * then one line per epoch.
 *
 * <p>The estimate comes after a few steps, leaving out the first step (it pays the engine's
 * warm-up), or after {@value #ESTIMATE_AFTER_SECONDS} seconds if steps are slow, so that it is
 * printed within the first minute even at the book's size.
 */
public final class ConsoleListener implements TrainingListener {

    static final int ESTIMATE_AFTER_STEPS = 4;
    static final int ESTIMATE_AFTER_SECONDS = 20;
    // A validation pass is forward only: about a third of a training step's arithmetic per image.
    private static final double VALIDATION_COST_RATIO = 1.0 / 3.0;

    private final PrintWriter out;
    private FitPlan plan;
    private long fitStart;
    private long startStep;
    private int stepsSeen;
    private long timedNanos;
    private int timedSteps;
    private boolean estimated;

    /** Prints to {@code out}. */
    public ConsoleListener(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void onFitStart(FitPlan plan, TrainingState start) {
        this.plan = plan;
        this.fitStart = System.nanoTime();
        this.startStep = start.globalStep();
        out.printf(Locale.ROOT, "training: %d epochs of %d steps (%d examples, batch %d), %d validation examples%n",
                plan.maxEpochs(), plan.stepsPerEpoch(), plan.trainExamples(), plan.batchSize(), plan.valExamples());
        if (start.globalStep() > 0) {
            out.printf(Locale.ROOT, "resuming after %d epochs and %d steps of epoch %d (step %d of the run)%n",
                    start.epochsDone(), start.stepInEpoch(), start.epochsDone() + 1, start.globalStep());
        }
        out.flush();
    }

    @Override
    public void onStep(StepReport step) {
        stepsSeen++;
        if (stepsSeen > 1) {
            timedNanos += step.nanos();
            timedSteps++;
        }
        boolean enoughSteps = stepsSeen >= ESTIMATE_AFTER_STEPS;
        boolean longEnough = timedSteps > 0 && System.nanoTime() - fitStart >= ESTIMATE_AFTER_SECONDS * 1_000_000_000L;
        if (!estimated && (enoughSteps || longEnough)) {
            printEstimate();
        }
    }

    private void printEstimate() {
        estimated = true;
        double secondsPerStep = timedNanos / 1e9 / timedSteps;
        double secondsPerImage = secondsPerStep / plan.batchSize();
        long totalSteps = (long) plan.stepsPerEpoch() * plan.maxEpochs();
        // timed in the first epoch run; under a resize schedule, epochs at other sizes cost their FLOPs' share
        int epoch = (int) Math.min(plan.maxEpochs(), startStep / plan.stepsPerEpoch() + 1);
        double trainSeconds = secondsPerStep * plan.weightedStepsAfter(startStep, epoch);
        secondsPerImage *= plan.relativeCost(plan.inputSize(), epoch);
        double epochsLeft = (double) (totalSteps - startStep) / plan.stepsPerEpoch();
        double validationSeconds = secondsPerImage * VALIDATION_COST_RATIO * plan.valExamples() * Math.ceil(epochsLeft);
        out.printf(Locale.ROOT, "estimate: %s for the whole run (%.2f s/step, %d steps/epoch, validation included)%n",
                human(trainSeconds + validationSeconds), secondsPerStep, plan.stepsPerEpoch());
        out.flush();
    }

    @Override
    public void onEpochEnd(EpochMetrics m) {
        out.printf(Locale.ROOT,
                "epoch %d/%d  train loss %.4f  val loss %.4f  val acc %.4f  train acc %.4f  %.1f images/s%s  %s%n",
                m.epoch(), plan.maxEpochs(), m.trainLoss(), m.valLoss(), m.valAccuracy(), m.trainAccuracy(),
                m.imagesPerSec(),
                m.trainSize() > 0 && m.trainSize() != plan.inputSize() ? " at " + m.trainSize() + "x" + m.trainSize() : "",
                human(m.seconds()));
        out.flush();
    }

    @Override
    public void onFitEnd(Classifier model, List<EpochMetrics> history) {
        out.printf(Locale.ROOT, "done in %s%n", human((System.nanoTime() - fitStart) / 1e9));
        out.flush();
    }

    /** Writes a duration as people read it: {@code 9h 05m}, {@code 3m 12s}, {@code 41.2s}. */
    static String human(double seconds) {
        Duration d = Duration.ofMillis(Math.round(seconds * 1000));
        if (d.toHours() > 0) {
            return String.format(Locale.ROOT, "%dh %02dm", d.toHours(), d.toMinutesPart());
        }
        if (d.toMinutes() > 0) {
            return String.format(Locale.ROOT, "%dm %02ds", d.toMinutes(), d.toSecondsPart());
        }
        return String.format(Locale.ROOT, "%.1fs", seconds);
    }
}
