package dev.alexnet.run;

import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.FitPlan;
import dev.alexnet.train.TrainLossPoint;
import dev.alexnet.train.TrainingListener;
import dev.alexnet.train.TrainingState;
import java.nio.file.Path;

/**
 * Keeps a run's {@link MetricsFile metrics.csv} and the board drawn from it ({@code curves.png},
 * {@code curves.svg}, redrawn after every epoch). A resumed run first rewrites the file from its
 * checkpoint, so rows written after that checkpoint by the interrupted process do not appear twice.
 */
public final class MetricsCsvListener implements TrainingListener {

    private final Path runDir;
    private MetricsFile metrics;

    /** Keeps the metrics of the run in {@code runDir}. */
    public MetricsCsvListener(Path runDir) {
        this.runDir = runDir;
    }

    @Override
    public void onFitStart(FitPlan plan, TrainingState start) {
        metrics = new MetricsFile(start.trainPoints(), start.history());
        metrics.write(runDir);
    }

    @Override
    public void onTrainLossPoint(TrainLossPoint point) {
        metrics = metrics.with(point);
        MetricsFile.append(runDir, point);
    }

    @Override
    public void onEpochEnd(EpochMetrics epoch) {
        metrics = metrics.with(epoch);
        MetricsFile.append(runDir, epoch);
        TrainingCurves.draw(runDir, metrics);
    }
}
