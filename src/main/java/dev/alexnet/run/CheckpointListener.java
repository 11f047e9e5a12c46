package dev.alexnet.run;

import dev.alexnet.model.Classifier;
import dev.alexnet.train.RunConfig;
import dev.alexnet.train.TrainingListener;
import dev.alexnet.train.TrainingState;
import ai.djl.training.optimizer.Optimizer;
import java.nio.file.Path;

/** Writes a checkpoint into the run directory whenever the trainer says one is due, keeping the newest few and the best. */
public final class CheckpointListener implements TrainingListener {

    private final Path runDir;
    private final RunConfig config;
    private Path last;

    /** Checkpoints a run configured by {@code config} into {@code runDir}. */
    public CheckpointListener(Path runDir, RunConfig config) {
        this.runDir = runDir;
        this.config = config;
    }

    @Override
    public void onCheckpoint(TrainingState state, Classifier model, Optimizer optimizer, CheckpointReason reason) {
        last = Checkpoints.save(runDir, config, state, model, optimizer,
                reason.name().toLowerCase(java.util.Locale.ROOT), config.training().keep());
    }

    /** Returns the last checkpoint written, or {@code null} if none yet. */
    public Path lastCheckpoint() {
        return last;
    }
}
