package dev.alexnet.run;

import dev.alexnet.io.AtomicFiles;
import dev.alexnet.io.Json;
import dev.alexnet.model.Classifier;
import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.FitPlan;
import dev.alexnet.train.TrainingDivergedException;
import dev.alexnet.train.TrainingListener;
import dev.alexnet.train.TrainingState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Keeps {@code manifest.json} in the run directory up to date: written at the start, after each epoch, and at the end. */
public final class ManifestListener implements TrainingListener {

    private final Path file;
    private Manifest manifest;

    /** Keeps {@code initial} (a new run's, or a resumed run's) in {@code runDir}. */
    public ManifestListener(Path runDir, Manifest initial) {
        this.file = runDir.resolve(Manifest.FILE);
        this.manifest = initial;
    }

    @Override
    public void onFitStart(FitPlan plan, TrainingState start) {
        write();
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics) {
        manifest = manifest.progressed(metrics.epoch(), metrics);
        write();
    }

    @Override
    public void onFitEnd(Classifier model, List<EpochMetrics> history) {
        manifest = manifest.ended("completed", Instant.now().toString());
        write();
    }

    @Override
    public void onFitAborted(RuntimeException cause) {
        manifest = manifest.ended(cause instanceof TrainingDivergedException ? "diverged" : "interrupted",
                Instant.now().toString());
        write();
    }

    private void write() {
        AtomicFiles.writeString(file, Json.pretty().toJson(manifest) + "\n");
    }
}
