package dev.alexnet.train;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows how an epoch advances: a progress bar (steps, images/s, loss so far, ETA of the epoch and of
 * the run) on a terminal, or a plain line every {@value #LINE_EVERY_SECONDS} seconds and at the end
 * of each epoch when the output is a file or a pipe, so that logs hold no control characters.
 */
public final class ProgressListener implements TrainingListener {

    static final int LINE_EVERY_SECONDS = 30;

    private final PrintStream terminal;
    private final PrintWriter log;
    private FitPlan plan;
    private ProgressBar bar;
    private int epoch;
    private double lossSum;
    private long examples;
    private long epochNanos;
    private double secondsPerStep;
    private long lastLine;

    private ProgressListener(PrintStream terminal, PrintWriter log) {
        this.terminal = terminal;
        this.log = log;
    }

    /** Draws a progress bar on {@code terminal}. */
    public static ProgressListener bar(PrintStream terminal) {
        return new ProgressListener(terminal, null);
    }

    /** Writes plain progress lines to {@code log}. */
    public static ProgressListener lines(PrintWriter log) {
        return new ProgressListener(null, log);
    }

    @Override
    public void onFitStart(FitPlan plan, TrainingState start) {
        this.plan = plan;
        this.lastLine = System.nanoTime();
    }

    @Override
    public void onStep(StepReport step) {
        if (step.epoch() != epoch) {
            startEpoch(step);
        }
        lossSum += (double) step.loss() * step.examples();
        examples += step.examples();
        epochNanos += step.nanos();
        // a moving average gives an ETA that follows the machine's current speed
        double seconds = step.nanos() / 1e9;
        secondsPerStep = secondsPerStep == 0 ? seconds : 0.9 * secondsPerStep + 0.1 * seconds;
        // under a resize schedule, the steps of epochs at other sizes cost their FLOPs' share
        double runStepsLeft = plan.weightedStepsAfter((long) (step.epoch() - 1) * plan.stepsPerEpoch() + step.step(),
                step.epoch());
        String extra = String.format(Locale.ROOT, "loss %.3f, %.0f img/s, run ETA %s", lossSum / examples,
                examples / (epochNanos / 1e9), human(secondsPerStep * runStepsLeft));
        if (bar != null) {
            bar.stepTo(step.step());
            bar.setExtraMessage(extra);
        } else if (log != null && (System.nanoTime() - lastLine > LINE_EVERY_SECONDS * 1_000_000_000L
                || step.step() == plan.stepsPerEpoch())) {
            lastLine = System.nanoTime();
            log.printf(Locale.ROOT, "epoch %d/%d step %d/%d (%d%%), %s, epoch ETA %s%n", step.epoch(),
                    plan.maxEpochs(), step.step(), plan.stepsPerEpoch(), 100L * step.step() / plan.stepsPerEpoch(),
                    extra, human(secondsPerStep * (plan.stepsPerEpoch() - step.step())));
            log.flush();
        }
    }

    private void startEpoch(StepReport step) {
        closeBar();
        epoch = step.epoch();
        lossSum = 0;
        examples = 0;
        epochNanos = 0;
        if (terminal != null) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch, plan.maxEpochs()))
                    .setInitialMax(plan.stepsPerEpoch())
                    .startsFrom(step.step() - 1, Duration.ZERO)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new ConsoleProgressBarConsumer(terminal))
                    .setUpdateIntervalMillis(500)
                    .continuousUpdate()
                    .build();
        }
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics) {
        closeBar();
    }

    @Override
    public void onFitAborted(RuntimeException cause) {
        closeBar();
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    static String human(double seconds) {
        return ConsoleListener.human(seconds);
    }
}
