package dev.alexnet.run;

import ai.djl.Device;
import dev.alexnet.data.DatasetCheck;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.train.Classifier;
import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.RunConfig;
import dev.alexnet.train.Trainer;
import dev.alexnet.train.TrainingListener;
import dev.alexnet.train.TrainingState;
import dev.alexnet.train.listener.CheckpointListener;
import dev.alexnet.train.listener.CurvesListener;
import dev.alexnet.train.listener.ManifestListener;
import dev.alexnet.train.listener.MetricsCsvListener;
import dev.alexnet.train.listener.SaveModelListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A training run with its directory: a new one, or one resumed from its newest valid checkpoint.
 *
 * <p>It wires the listeners every run needs (configuration and final model, checkpoints,
 * {@code metrics.csv}, {@code manifest.json}) around a {@link Trainer}.
 */
public final class TrainingRun implements AutoCloseable {

    private final Path dir;
    private final RunConfig config;
    private final FashionMnist data;
    private final Classifier model;
    private final TrainingState start;
    private final Manifest manifest;
    private Trainer trainer;
    private volatile boolean stopRequested;

    private TrainingRun(Path dir, RunConfig config, FashionMnist data, Classifier model, TrainingState start,
            Manifest manifest) {
        this.dir = dir;
        this.config = config;
        this.data = data;
        this.model = model;
        this.start = start;
        this.manifest = manifest;
    }

    /**
     * Sets up a new run of {@code config} in {@code out} (or a new directory under {@code runs/}).
     * {@code warn} hears about dataset files that are not the official release's.
     *
     * @throws IllegalArgumentException if {@code out} already holds a run
     */
    public static TrainingRun create(RunConfig config, Path out, Device device, Consumer<String> warn) {
        return create(config, out, device, warn, null);
    }

    /**
     * Weights a new run starts from instead of the network's random initialization.
     *
     * @param source what to record in the manifest: the file and its digest
     * @param loader puts the weights into the freshly built network, or throws without touching it
     */
    public record InitialWeights(String source, Consumer<Classifier> loader) {}

    /**
     * Sets up a new run like {@link #create(RunConfig, Path, Device, Consumer)}, starting from
     * {@code initial} weights when not null; they are loaded before the run directory is made, so a
     * file that does not fit leaves nothing behind.
     */
    public static TrainingRun create(RunConfig config, Path out, Device device, Consumer<String> warn,
            InitialWeights initial) {
        if (out != null && RunDirectory.holdsRun(out)) {
            RunDirectory.create(out); // refuses, naming --resume
        }
        FashionMnist data = FashionMnist.load(config.data());
        try {
            RunConfig resolved = new RunConfig(config.model(), config.learningRate(), data.config(), config.training(),
                    config.optimizer());
            Manifest.Dataset dataset = fingerprint(data, warn);
            Classifier model = new Classifier(config.model(), config.learningRate(), config.optimizerOrSgd(), device);
            try {
                if (initial != null) {
                    initial.loader().accept(model);
                }
                Path dir = RunDirectory.create(out);
                Manifest manifest = new Manifest(resolved, resolved.training().seed(), Provenance.collect(device),
                        dataset, official(dataset), Instant.now().toString(), List.of(), null, "running", 0, null,
                        initial == null ? null : initial.source());
                return new TrainingRun(dir, resolved, data, model, TrainingState.start(), manifest);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        } catch (RuntimeException e) {
            data.close();
            throw e;
        }
    }

    /**
     * Reopens the run in {@code dir} at its newest valid checkpoint, training to {@code maxEpochs}
     * epochs in all (its configured number when {@code null}). {@code warn} hears about skipped
     * checkpoints and unofficial dataset files.
     *
     * @throws IllegalArgumentException if {@code dir} holds no run, or no valid checkpoint of it
     */
    public static TrainingRun resume(Path dir, Integer maxEpochs, Path dataDir, Device device, Consumer<String> warn) {
        RunConfig saved = RunDirectory.readConfig(dir);
        CheckpointFile.Loaded checkpoint = Checkpoints.newestValid(dir, warn);
        RunDirectory.checkCheckpointConfig(checkpoint, saved);
        TrainingState state = checkpoint.header().state();
        RunConfig config = saved;
        if (maxEpochs != null && maxEpochs != saved.training().maxEpochs()) {
            if (maxEpochs < state.epochsDone()) {
                throw new IllegalArgumentException("--epochs " + maxEpochs + " is fewer than the " + state.epochsDone()
                        + " epochs this run has already done");
            }
            config = new RunConfig(saved.model(), saved.learningRate(), saved.data(),
                    saved.training().withMaxEpochs(maxEpochs), saved.optimizer());
        }
        if (dataDir != null) {
            config = new RunConfig(config.model(), config.learningRate(), config.data().withDataDir(dataDir),
                    config.training(), config.optimizer());
        }
        Manifest before = readManifest(dir);
        FashionMnist data = FashionMnist.load(config.data());
        try {
            Manifest.Dataset dataset = fingerprint(data, warn);
            if (before != null && !sameContent(before.dataset(), dataset)) {
                throw new IllegalArgumentException("the dataset in " + data.config().dataDir()
                        + " differs from the one this run started with (see " + dir.resolve(Manifest.FILE) + ")");
            }
            Classifier model = new Classifier(config.model(), config.learningRate(), config.optimizerOrSgd(), device);
            try {
                checkpoint.loadInto(model);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
            Manifest manifest = before == null
                    ? new Manifest(config, config.training().seed(), Provenance.collect(device), dataset,
                            official(dataset), Instant.now().toString(), List.of(), null, "running",
                            state.epochsDone(), null, null)
                    : before.resumed(Instant.now().toString(), Provenance.collect(device));
            RunConfig resolved = new RunConfig(config.model(), config.learningRate(), data.config(), config.training(),
                    config.optimizer());
            return new TrainingRun(dir, resolved, data, model, state, manifest);
        } catch (RuntimeException e) {
            data.close();
            throw e;
        }
    }

    /** Trains to the end, reporting also to {@code extra} (printing, memory logs). */
    public List<EpochMetrics> fit(List<TrainingListener> extra) {
        List<TrainingListener> listeners = new ArrayList<>(extra);
        listeners.add(new SaveModelListener(dir, config));
        listeners.add(new MetricsCsvListener(dir));
        listeners.add(new CurvesListener(dir));
        listeners.add(new CheckpointListener(dir, config));
        listeners.add(new ManifestListener(dir, manifest));
        trainer = new Trainer(config.training(), listeners);
        if (stopRequested) {
            trainer.requestStop();
        }
        return trainer.fit(model, data, start);
    }

    /** Asks the run to stop after its current step and checkpoint; safe from any thread. */
    public void requestStop() {
        stopRequested = true;
        Trainer current = trainer;
        if (current != null) {
            current.requestStop();
        }
    }

    /** Returns the run directory. */
    public Path dir() {
        return dir;
    }

    /** Returns the run's configuration, its data directory resolved. */
    public RunConfig config() {
        return config;
    }

    /** Returns where the run starts from. */
    public TrainingState start() {
        return start;
    }

    /** Returns the model being trained. */
    public Classifier model() {
        return model;
    }

    /** Returns the newest checkpoint file, or {@code null} if there is none. */
    public Path newestCheckpoint() {
        List<Path> files = Checkpoints.list(dir);
        return files.isEmpty() ? null : files.get(files.size() - 1);
    }

    private static Manifest.Dataset fingerprint(FashionMnist data, Consumer<String> warn) {
        List<DatasetCheck.FileCheck> checks = DatasetCheck.check(data.config().dataDir());
        List<String> differing = checks.stream().filter(check -> !check.official())
                .map(DatasetCheck.FileCheck::name).toList();
        if (!differing.isEmpty()) {
            warn.accept(data.config().dataDir() + " is not the official Fashion-MNIST: the SHA-256 of the content of "
                    + String.join(", ", differing) + " differs from the release's (digests in manifest.json)");
        }
        return new Manifest.Dataset(data.config().dataDir().toString(), checks);
    }

    private static boolean official(Manifest.Dataset dataset) {
        return dataset.files().stream().allMatch(DatasetCheck.FileCheck::official);
    }

    private static boolean sameContent(Manifest.Dataset a, Manifest.Dataset b) {
        return a.files().stream().map(DatasetCheck.FileCheck::sha256).toList()
                .equals(b.files().stream().map(DatasetCheck.FileCheck::sha256).toList());
    }

    private static Manifest readManifest(Path dir) {
        Path file = dir.resolve(Manifest.FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return Json.compact().fromJson(Files.readString(file), Manifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": not a valid manifest (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close() {
        try {
            model.close();
        } finally {
            data.close();
        }
    }
}
