package dev.alexnet.train;

import ai.djl.Device;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
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

    /** Creates {@code requested}, or a new time-stamped directory under {@code runs/} when it is null. */
    public static Path create(Path requested) {
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

    /** Writes {@code config.json} atomically, so a crash never leaves half a file. */
    public static void writeConfig(Path dir, RunConfig config) {
        Path target = dir.resolve(CONFIG_FILE);
        Path temporary = dir.resolve(CONFIG_FILE + ".tmp");
        try {
            Files.writeString(temporary, Json.pretty().toJson(config) + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
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
        } catch (JsonParseException | IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(file + ": not a valid run configuration (" + e.getMessage() + ")");
        }
    }

    /** Rebuilds the model a run trained, with its parameters, on {@code device}. */
    public static Classifier loadModel(Path dir, Device device) {
        RunConfig config = readConfig(dir);
        Classifier model = new Classifier(config.model(), config.learningRate(), device);
        try {
            model.loadParameters(dir);
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
