package dev.alexnet.run;

import dev.alexnet.model.Classifier;
import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.FitPlan;
import dev.alexnet.train.RunConfig;
import dev.alexnet.train.TrainingListener;
import dev.alexnet.train.TrainingState;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps a run's results in its directory: the configuration when the run starts, the trained
 * parameters when it ends.
 */
public final class SaveModelListener implements TrainingListener {

    private final Path runDir;
    private final RunConfig config;

    /** Saves into {@code runDir} a model trained with {@code config}. */
    public SaveModelListener(Path runDir, RunConfig config) {
        this.runDir = runDir;
        this.config = config;
    }

    @Override
    public void onFitStart(FitPlan plan, TrainingState start) {
        RunDirectory.writeConfig(runDir, config);
    }

    @Override
    public void onFitEnd(Classifier model, List<EpochMetrics> history) {
        model.save(runDir, history.size());
    }
}
