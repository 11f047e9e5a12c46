package dev.alexnet.run;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.training.optimizer.Optimizer;
import dev.alexnet.data.DatasetCheck;
import dev.alexnet.data.DataModule;
import dev.alexnet.data.ResizeSchedule;
import dev.alexnet.io.Json;
import dev.alexnet.model.Classifier;
import dev.alexnet.model.InputTooSmallException;
import dev.alexnet.model.MemoryEstimate;
import dev.alexnet.model.Networks;
import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.RunConfig;
import dev.alexnet.train.Trainer;
import dev.alexnet.train.TrainingListener;
import dev.alexnet.train.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A training run with its directory: the book's four lines (model, data, trainer, fit) with the
 * run directory's side effects added as listeners — {@code config.json} and the final model,
 * checkpoints, {@code metrics.csv}, the curves and {@code manifest.json}.
 *
 * <p>This is what {@code alexnet train} runs, and what a program runs to get the same:
 *
 * <pre>{@code
 * try (TrainingRun run = TrainingRun.create(RunConfig.preset("fast"), Path.of("runs/fast"))) {
 *     run.fit(List.of(new ConsoleListener(new PrintWriter(System.out, true))));
 * }
 * }</pre>
 */
public final class TrainingRun implements AutoCloseable {

    private final Path dir;
    private final RunConfig config;
    private final DataModule data;
    private final Classifier model;
    private final TrainingState start;
    private final Consumer<Optimizer> optimizerState;
    private final Manifest manifest;
    private final RunLock lock;
    private Trainer trainer;
    private volatile boolean stopRequested;

    private TrainingRun(Path dir, RunLock lock, RunConfig config, DataModule data, Classifier model,
            TrainingState start, Consumer<Optimizer> optimizerState, Manifest manifest) {
        this.dir = dir;
        this.lock = lock;
        this.config = config;
        this.data = data;
        this.model = model;
        this.start = start;
        this.optimizerState = optimizerState;
        this.manifest = manifest;
    }

    /**
     * Sets up a new run of {@code config} in {@code out} (a new directory under {@code runs/} when
     * null) on the engine's default device, printing warnings to standard error.
     */
    public static TrainingRun create(RunConfig config, Path out) {
        return create(config, out, null, Engine.getInstance().defaultDevice(), warning -> System.err.println(
                "warning: " + warning));
    }

    /**
     * Weights a new run starts from instead of the network's seeded random initialization (see
     * {@code WeightsFile.initialWeights} for a safetensors or NPZ file).
     *
     * @param source what the manifest records: the file and its digest
     * @param loader puts the weights into the freshly built network, or throws without touching it
     */
    public record InitialWeights(String source, Consumer<Classifier> loader) {}

    /**
     * Sets up a new run of {@code config} in {@code out} (or a new directory under {@code runs/}),
     * starting from {@code initial} weights when not null, else from the network's seeded random
     * initialization. Data and weights are
     * read and checked before the directory is made, so a file that does not fit leaves nothing
     * behind. {@code warn} hears about dataset files that are not the official release's.
     *
     * @throws IllegalArgumentException if {@code out} is not a new or empty directory, or the weights do not fit
     * @throws IllegalStateException if another process takes {@code out} first
     */
    public static TrainingRun create(RunConfig config, Path out, InitialWeights initial, Device device,
            Consumer<String> warn) {
        RunDirectory.checkNew(out);
        requireMemory(config);
        DataModule data = DataModule.load(config.data());
        try {
            data.notices().forEach(warn);
            if (config.data().folder() != null) {
                config = config.withModelConfig(data.fit(config.model()));
            }
            RunConfig resolved = config.withData(data.config());
            Manifest.Dataset dataset = fingerprint(data, warn);
            Classifier model = new Classifier(config.model(), config.optimizer(), device);
            try {
                if (initial != null) {
                    initial.loader().accept(model);
                }
                Manifest manifest = Manifest.started(resolved, Provenance.collect(device), dataset, 0,
                        initial == null ? null : initial.source());
                // the directory last: a failure before leaves nothing behind
                RunDirectory.Claimed claimed = RunDirectory.claimNew(out);
                return new TrainingRun(claimed.dir(), claimed.lock(), resolved, data, model, TrainingState.start(), null,
                        manifest);
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
     * Reopens the run in {@code dir} at its newest valid checkpoint with its saved configuration (or,
     * when it was stopped before its first checkpoint, starts it again from the beginning), training to {@code maxEpochs} epochs in all (its configured number when {@code null}), with
     * the data in {@code dataDir} when not null (else where the run found it). {@code warn} hears
     * about skipped checkpoints and unofficial dataset files.
     *
     * @throws IllegalArgumentException if {@code dir} holds no run, or no valid checkpoint of it
     */
    public static TrainingRun resume(Path dir, Integer maxEpochs, Path dataDir, Device device, Consumer<String> warn) {
        RunDirectory.readConfig(dir); // not a run: say so before touching it
        RunLock lock = RunLock.acquire(dir);
        try {
            return resume(dir, lock, maxEpochs, dataDir, device, warn);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static TrainingRun resume(Path dir, RunLock lock, Integer maxEpochs, Path dataDir, Device device,
            Consumer<String> warn) {
        RunConfig saved = RunDirectory.readConfig(dir);
        RunDirectory.removeStaleTemporaries(dir, warn);
        CheckpointFile.Loaded checkpoint = null;
        if (Checkpoints.list(dir).isEmpty()) {
            if (RunDirectory.hasFinalModel(dir, saved)) {
                throw new IllegalArgumentException(dir + " holds a trained model but no checkpoint to continue from; "
                        + "it is kept as it is (train a new run with --init-from an export of it to go on)");
            }
            warn.accept(dir + " has no checkpoint yet (it was stopped before its first): starting it again from the "
                    + "beginning with its saved configuration");
        } else {
            checkpoint = Checkpoints.newestValid(dir, warn);
            RunDirectory.checkCheckpointConfig(checkpoint, saved);
        }
        TrainingState state = checkpoint == null ? TrainingState.start() : checkpoint.header().state();
        RunConfig config = saved;
        if (maxEpochs != null && maxEpochs != saved.training().maxEpochs()) {
            if (maxEpochs < state.epochsDone()) {
                throw new IllegalArgumentException("--epochs " + maxEpochs + " is fewer than the " + state.epochsDone()
                        + " epochs this run has already done");
            }
            config = config.withEpochs(maxEpochs);
        }
        if (dataDir != null) {
            config = config.withData(config.data().withDataDir(dataDir));
        }
        Manifest before = readManifest(dir);
        DataModule data = DataModule.load(config.data());
        try {
            data.notices().forEach(warn);
            if (config.data().folder() != null) {
                requireSameClasses(config, data);
            }
            Manifest.Dataset dataset = fingerprint(data, warn);
            if (before != null && !sameContent(before.dataset(), dataset)) {
                throw new IllegalArgumentException("the dataset in " + data.config().dataDir()
                        + " differs from the one this run started with (see " + dir.resolve(Manifest.FILE) + ")");
            }
            Classifier model = new Classifier(config.model(), config.optimizer(), device);
            try {
                Consumer<Optimizer> optimizerState = checkpoint == null ? null : checkpoint.loadInto(model);
                RunConfig resolved = config.withData(data.config());
                Manifest manifest = before == null
                        ? Manifest.started(resolved, Provenance.collect(device), dataset, state.epochsDone(), null)
                        : before.resumed(Instant.now().toString(), Provenance.collect(device));
                return new TrainingRun(dir.toAbsolutePath().normalize(), lock, resolved, data, model, state,
                        optimizerState, manifest);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        } catch (RuntimeException e) {
            data.close();
            throw e;
        }
    }

    /** Refuses to resume on a folder whose classes or channels are not the ones the run was trained on. */
    private static void requireSameClasses(RunConfig config, DataModule data) {
        if (!data.classNames().equals(config.model().classNames())) {
            throw new IllegalArgumentException(config.data().folder() + " holds other classes than this run was "
                    + "trained on (" + dev.alexnet.data.ImageFolder.difference("the run", config.model().classNames(),
                            "the folder", data.classNames()) + ")");
        }
        if (data.channels() != config.model().channels()) {
            throw new IllegalArgumentException(config.data().folder() + " now reads as " + data.channels()
                    + "-channel pictures; this run was trained on " + config.model().channels() + "-channel ones");
        }
    }

    private static void requireMemory(RunConfig config) {
        ResizeSchedule schedule = config.data().resizeSchedule();
        int largest = config.model().inputSize();
        if (schedule != null) {
            for (int size : schedule.sizes()) {
                try {
                    Networks.requireTakes(config.model(), size);
                } catch (InputTooSmallException e) {
                    throw new IllegalArgumentException("--resize-schedule size " + size + ": " + e.getMessage()
                            .replace("; use a larger --resize", "; use a larger size"), e);
                }
                largest = Math.max(largest, size);
            }
        }
        MemoryEstimate.requireFits(MemoryEstimate.training(config.model().withInputSize(largest), config.data().batchSize()),
                "training " + config.model().name() + " at " + largest + "x" + largest + " in batches of "
                        + config.data().batchSize());
    }

    /** Returns the listeners that keep the run directory: what a run writes besides what {@code extra} prints. */
    private List<TrainingListener> listeners(List<TrainingListener> extra) {
        List<TrainingListener> listeners = new ArrayList<>(extra);
        listeners.add(new SaveModelListener(dir, config));
        listeners.add(new MetricsCsvListener(dir));
        listeners.add(new CheckpointListener(dir, config));
        listeners.add(new ManifestListener(dir, manifest));
        return listeners;
    }

    /** Trains to the end, reporting also to {@code extra} (printing, memory logs). */
    public List<EpochMetrics> fit(List<TrainingListener> extra) {
        trainer = new Trainer(config.training(), listeners(extra));
        if (stopRequested) {
            trainer.requestStop();
        }
        return trainer.fit(model, data, start, optimizerState);
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

    private static Manifest.Dataset fingerprint(DataModule data, Consumer<String> warn) {
        if (data.config().folder() != null) {
            return new Manifest.Dataset(data.config().folder().toAbsolutePath().toString(), List.of());
        }
        List<DatasetCheck.FileCheck> checks = data.files();
        List<String> differing = checks.stream().filter(check -> !check.official())
                .map(DatasetCheck.FileCheck::name).toList();
        if (!differing.isEmpty()) {
            warn.accept(data.config().dataDir() + " is not the official Fashion-MNIST: the SHA-256 of the content of "
                    + String.join(", ", differing) + " differs from the release's (digests in manifest.json)");
        }
        return new Manifest.Dataset(data.config().dataDir().toString(), checks);
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
        try (lock; data; model) {
            // closes the model, then the data, then lets other processes have the directory
        }
    }
}
