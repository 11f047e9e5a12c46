package dev.alexnet.weights;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The small model that comes with the repository ({@code models/alexnet28-quick.safetensors}: alexnet28
 * trained by {@code --preset quick}), used by {@code predict} and {@code serve} when no model is named,
 * so that both work on a fresh clone before anyone has trained.
 */
public final class ShippedModel {

    /** The weights file, relative to the program's home (the repository). */
    public static final Path FILE = Path.of("models", "alexnet28-quick.safetensors");

    /** The name it is served under. */
    public static final String NAME = "alexnet28-quick";

    private ShippedModel() {}

    /**
     * Returns the shipped weights file: under the directory in the system property {@code alexnet.home}
     * (set by {@code bin/alexnet}), else under the working directory.
     *
     * @throws IllegalArgumentException if it is not there
     */
    public static Path path() {
        String home = System.getProperty("alexnet.home");
        Path file = (home != null ? Path.of(home) : Path.of("")).resolve(FILE).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no model given (--model-dir DIR or --weights FILE), and the shipped "
                    + "model " + file + " is missing");
        }
        return file;
    }
}
