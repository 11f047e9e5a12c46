package dev.alexnet.train.listener;

import dev.alexnet.report.TrainingCurves;
import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.TrainingListener;
import java.nio.file.Path;

/**
 * Redraws {@code curves.png} and {@code curves.svg} from {@code metrics.csv} after every epoch, so
 * the picture always shows the run so far. Listed after {@link MetricsCsvListener}, whose rows it reads.
 */
public final class CurvesListener implements TrainingListener {

    private final Path runDir;

    /** Draws the curves of the run in {@code runDir}. */
    public CurvesListener(Path runDir) {
        this.runDir = runDir;
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics) {
        TrainingCurves.draw(runDir);
    }
}
