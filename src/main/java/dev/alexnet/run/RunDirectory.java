package dev.alexnet.run;

import dev.alexnet.io.Json;
import dev.alexnet.io.AtomicFiles;
import ai.djl.Device;
import dev.alexnet.model.Classifier;
import dev.alexnet.train.RunConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
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
     * Creates {@code requested}, or a new time-stamped directory under {@code runs/} when it is null.
     *
     * @throws IllegalArgumentException if {@code requested} already holds a run: it is never overwritten
     */
    public static Path create(Path requested) {
        if (requested != null && holdsRun(requested)) {
            throw new IllegalArgumentException(requested + " already holds a run; continue it with --resume "
                    + requested + " or choose another --out");
        }
        Path dir = requested;
        if (dir == null) {
            String stamp = LocalDateTime.now().format(STAMP);
            dir = DEFAULT_PARENT.resolve(stamp);
            for (int n = 2; Files.exists(dir); n++) {
                dir = DEFAULT_PARENT.resolve(stamp + "-" + n);
            }
        }
        try {
            return Files.createDirectories(dir).toAbsolutePath().normalize();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + dir + ": " + e.getMessage(), e);
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

    private static boolean hasFinalModel(Path dir, RunConfig config) {
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> {
                String name = f.getFileName().toString();
                return name.startsWith(config.model().name() + "-") && name.endsWith(".params");
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
