package dev.alexnet.serve;

import ai.djl.Device;
import dev.alexnet.model.Classifier;
import dev.alexnet.run.RunDirectory;
import dev.alexnet.weights.WeightsFile;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A model to serve: its name and where its weights are, a run directory or a weights file. Written
 * {@code [NAME=]PATH}; without a name it is served under the directory's name or the file's name
 * without its extension.
 *
 * @param name the name in URLs
 * @param path the run directory or weights file
 * @param runDirectory whether {@code path} is a run directory
 */
public record ModelSpec(String name, Path path, boolean runDirectory) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public ModelSpec {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("model name '" + name + "' must be 1 to 64 letters, digits, '.', '_' "
                    + "or '-', starting with a letter or digit (write NAME=PATH to choose one)");
        }
    }

    /** Parses {@code [NAME=]PATH}, PATH being a run directory or a weights file. */
    public static ModelSpec parse(String text) {
        int equals = text.indexOf('=');
        String path = equals > 0 && NAME.matcher(text.substring(0, equals)).matches() ? text.substring(equals + 1) : text;
        return parse(text, java.nio.file.Files.isDirectory(Path.of(path)));
    }

    /** Parses {@code [NAME=]PATH}. */
    public static ModelSpec parse(String text, boolean runDirectory) {
        int equals = text.indexOf('=');
        if (equals > 0 && NAME.matcher(text.substring(0, equals)).matches()) {
            return new ModelSpec(text.substring(0, equals), Path.of(text.substring(equals + 1)), runDirectory);
        }
        Path path = Path.of(text);
        Path last = path.toAbsolutePath().normalize().getFileName();
        String name = last == null ? "model" : last.toString();
        if (!runDirectory && name.lastIndexOf('.') > 0) {
            name = name.substring(0, name.lastIndexOf('.'));
        }
        return new ModelSpec(name, path, runDirectory);
    }

    /** Builds the model with its trained weights on {@code device}. */
    public Classifier load(Device device) {
        return runDirectory ? RunDirectory.loadModel(path, device)
                : WeightsFile.loadModel(path, device);
    }

    /** Says where the model comes from by name only (its directory's or file's), as clients are told. */
    public String publicSource() {
        Path last = path.toAbsolutePath().normalize().getFileName();
        return (runDirectory ? "run directory " : "weights file ") + (last == null ? name : last.toString());
    }

    /** Says where the model comes from. */
    public String source() {
        return (runDirectory ? "run directory " : "weights file ") + path;
    }
}
