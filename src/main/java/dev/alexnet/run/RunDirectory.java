package dev.alexnet.run;

import dev.alexnet.io.Json;
import dev.alexnet.io.AtomicFiles;
import dev.alexnet.io.Outputs;
import ai.djl.Device;
import dev.alexnet.model.Classifier;
import dev.alexnet.train.RunConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.function.Consumer;
import java.time.format.DateTimeFormatter;

/**
 * A training run's directory: its {@code config.json} and the trained parameters, enough to use
 * the model later without repeating any flag.
 */
public final class RunDirectory {

    /** The configuration file in every run directory. */
    public static final String CONFIG_FILE = "config.json";

    /** Where runs go when no directory is named. */
    public static final Path DEFAULT_PARENT = Path.of("runs");

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunDirectory() {}

    /**
     * Checks, before any work, that a new run may be made in {@code requested}: a directory that does
     * not exist yet (and can be made), or an empty one; {@code null} means a new one under
     * {@code runs/}. Nothing is created.
     *
     * @throws IllegalArgumentException for an empty name, a file, a run (never overwritten: resume it)
     *     or a directory that holds anything else (never mixed with a run)
     */
    public static void checkNew(Path requested) {
        if (requested == null) {
            Outputs.checkFilesIn(DEFAULT_PARENT, List.of(), false);
            return;
        }
        if (requested.toString().isBlank()) {
            throw new IllegalArgumentException("--out is empty; name a new or empty directory for the run");
        }
        if (Files.exists(requested) && !Files.isDirectory(requested)) {
            throw new IllegalArgumentException(requested + " is a file; --out names a new or empty directory");
        }
        if (holdsRun(requested)) {
            throw new IllegalArgumentException(requested + " already holds a run; continue it with --resume "
                    + requested + " or choose another --out");
        }
        if (Files.isDirectory(requested) && !isEmpty(requested)) {
            throw new IllegalArgumentException(requested + " is not empty and holds no run; a run goes into a new "
                    + "or empty directory, so that nothing of yours is replaced");
        }
        Outputs.checkFilesIn(requested, List.of(), false);
    }

    /**
     * Makes the run directory {@code requested} (or a new time-stamped one under {@code runs/} when
     * null) and takes it for this process: made atomically or found empty, then locked, then found
     * still free of a run, so that two processes never share one.
     *
     * @throws IllegalArgumentException if it cannot be a new run's directory (see {@link #checkNew})
     * @throws IllegalStateException if another process has it
     */
    public static Claimed claimNew(Path requested) {
        Path dir = requested != null ? requested : newDefault();
        boolean made = requested == null;
        if (requested != null) {
            checkNew(requested);
            if (dir.toAbsolutePath().getParent() != null) {
                Outputs.createDirectories(dir.toAbsolutePath().getParent());
            }
            try {
                Files.createDirectory(dir);
                made = true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made by someone else since the check, or empty from the start: the lock decides
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot create run directory " + dir + ": " + Outputs.reason(e), e);
            }
        }
        RunLock lock;
        try {
            lock = RunLock.acquire(dir);
        } catch (RuntimeException e) {
            if (made) {
                deleteQuietly(dir);
            }
            throw e;
        }
        try {
            checkNew(dir);
            return new Claimed(dir.toAbsolutePath().normalize(), lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Removes an empty directory this process made (its lock file included), leaving anything else. */
    private static void deleteQuietly(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(RunLock.FILE));
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // not empty or not ours any more: left as it is
        }
    }

    /**
     * A run directory taken by this process.
     *
     * @param dir the directory
     * @param lock the lock that keeps other processes out until it is closed
     */
    public record Claimed(Path dir, RunLock lock) {}

    private static Path newDefault() {
        String stamp = LocalDateTime.now().format(STAMP);
        Outputs.createDirectories(DEFAULT_PARENT);
        for (int n = 1; ; n++) {
            Path dir = DEFAULT_PARENT.resolve(n == 1 ? stamp : stamp + "-" + n);
            try {
                return Files.createDirectory(dir);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // taken: the next suffix
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot create run directory " + dir + ": " + Outputs.reason(e), e);
            }
        }
    }

    /** Returns whether {@code dir} holds nothing but, perhaps, the lock file of a run that never started. */
    private static boolean isEmpty(Path dir) {
        try (var entries = Files.list(dir)) {
            return entries.allMatch(entry -> entry.getFileName().toString().equals(RunLock.FILE));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + dir + ": " + Outputs.reason(e), e);
        }
    }

    /**
     * Deletes what a process killed while writing left behind: temporary files of atomic writes
     * ({@code .NAME.tmp}, in the run and its checkpoints) and the final model's staging directory.
     */
    static void removeStaleTemporaries(Path dir, Consumer<String> warn) {
        for (Path folder : List.of(dir, dir.resolve(Checkpoints.DIR))) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (var entries = Files.list(folder)) {
                for (Path entry : entries.toList()) {
                    String name = entry.getFileName().toString();
                    if (name.startsWith(".") && name.endsWith(".tmp") && Files.isRegularFile(entry)) {
                        Files.delete(entry);
                        warn.accept("removed " + entry + ", left by a write that was cut off");
                    } else if (name.equals(Classifier.STAGING_DIR) && Files.isDirectory(entry)) {
                        try (var staged = Files.list(entry)) {
                            for (Path file : staged.toList()) {
                                Files.delete(file);
                            }
                        }
                        Files.delete(entry);
                        warn.accept("removed " + entry + ", left by a save that was cut off");
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot tidy " + folder + ": " + Outputs.reason(e), e);
            }
        }
    }

    /** Returns whether {@code dir} holds a run: a configuration, a manifest or checkpoints. */
    public static boolean holdsRun(Path dir) {
        return Files.exists(dir.resolve(CONFIG_FILE)) || Files.exists(dir.resolve(Manifest.FILE))
                || Files.isDirectory(dir.resolve(Checkpoints.DIR));
    }

    /** Writes {@code config.json} atomically, so a crash never leaves half a file. */
    public static void writeConfig(Path dir, RunConfig config) {
        AtomicFiles.writeString(dir.resolve(CONFIG_FILE), Json.pretty().toJson(config) + "\n");
    }

    /**
     * Reads a run's configuration.
     *
     * @throws IllegalArgumentException if {@code dir} holds no readable, valid configuration
     */
    public static RunConfig readConfig(Path dir) {
        Path file = dir.resolve(CONFIG_FILE);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(dir + ": not a model directory (no " + CONFIG_FILE + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
        }
        try {
            RunConfig config = Json.compact().fromJson(text, RunConfig.class);
            if (config == null) {
                throw new IllegalArgumentException("empty file");
            }
            return config;
        } catch (RuntimeException e) {
            // Gson wraps a record's own refusal ("must keep at least 1 checkpoint") in its own exception.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException(file + ": not a valid run configuration (" + cause.getMessage() + ")");
        }
    }

    /**
     * Rebuilds the model a run trained, with its parameters, on {@code device}: the final model when
     * the run finished, else its newest valid checkpoint.
     */
    public static Classifier loadModel(Path dir, Device device) {
        RunConfig config = readConfig(dir);
        Classifier model = new Classifier(config.model(), config.optimizer(), device);
        try {
            if (hasFinalModel(dir, config)) {
                model.loadParameters(dir);
            } else if (!Checkpoints.list(dir).isEmpty()) {
                CheckpointFile.Loaded checkpoint = Checkpoints.newestValid(dir, skipped -> { });
                checkCheckpointConfig(checkpoint, config);
                checkpoint.loadInto(model);
            } else {
                throw new IllegalArgumentException(dir + ": holds a configuration but no trained model or checkpoint");
            }
            // used, never trained: no parameter takes gradients, so no forward pass can record a graph
            model.block().freezeParameters(true);
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** Refuses a checkpoint written under another configuration than the run's. */
    public static void checkCheckpointConfig(CheckpointFile.Loaded checkpoint, RunConfig config) {
        RunConfig saved = checkpoint.header().config();
        List<RunConfig.Difference> differences = saved.differencesFrom(config, RunConfig.RESUMABLE_CHANGES);
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException(checkpoint.file() + ": checkpoint from another configuration than the "
                    + "run's " + CONFIG_FILE + ": " + String.join(", ", differences.stream()
                            .map(d -> d.path() + " " + d.value() + " (" + CONFIG_FILE + ": " + d.other() + ")").toList()));
        }
    }

    static boolean hasFinalModel(Path dir, RunConfig config) {
        return Classifier.savedParameters(dir, config.model().name()) != null;
    }
}
