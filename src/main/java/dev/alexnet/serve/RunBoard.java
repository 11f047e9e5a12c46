package dev.alexnet.serve;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.alexnet.io.Messages;
import dev.alexnet.run.Manifest;
import dev.alexnet.run.MetricsFile;
import dev.alexnet.run.RunDirectory;
import dev.alexnet.train.EpochMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The run directories under one folder, as the board shows them: a row per run, a run's metrics,
 * configuration and manifest, and its pictures. Only files inside the folder are ever read: names
 * with {@code ..}, absolute paths and symbolic links that lead outside are not found.
 */
final class RunBoard {

    /** The pictures a run directory may hold, shown beside its board when present. */
    private static final List<String> PICTURE_SUFFIXES = List.of(".png", ".svg");

    private final Path root;

    /**
     * The board of the runs under {@code root}.
     *
     * @throws IllegalArgumentException if {@code root} is not a readable directory
     */
    RunBoard(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("--runs " + root + ": not a directory");
        }
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("--runs " + root + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /**
     * One run as the list shows it.
     *
     * @param name its directory's name
     * @param network the network it trains, or {@code null} if unknown
     * @param status running, completed, interrupted, diverged, or why it cannot be read
     * @param epochsDone epochs finished
     * @param maxEpochs epochs planned, or 0 if unknown
     * @param bestValAccuracy the best validation accuracy of a finished epoch, or {@code null}
     * @param started when it started, or {@code null}
     */
    record Row(String name, String network, String status, int epochsDone, int maxEpochs, Double bestValAccuracy,
            String started) {}

    /** Returns the runs directly under the folder, by name. */
    List<Row> list() {
        List<Row> rows = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(root)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (!name.startsWith(".") && inside(child) && Files.isDirectory(child) && RunDirectory.holdsRun(child)) {
                    rows.add(row(name, child));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(root + ": cannot be listed (" + e.getMessage() + ")");
        }
        rows.sort((a, b) -> a.name().compareTo(b.name()));
        return rows;
    }

    private Row row(String name, Path dir) {
        JsonObject manifest = readObject(dir, Manifest.FILE);
        JsonObject config = readObject(dir, RunDirectory.CONFIG_FILE);
        if (config == null && manifest != null && manifest.get("config") instanceof JsonObject inManifest) {
            config = inManifest;
        }
        String network = config != null ? string(config, "model", "name") : null;
        String status = manifest != null ? string(manifest, "status") : null;
        String started = manifest != null ? string(manifest, "startedAt") : null;
        String max = config != null ? string(config, "training", "maxEpochs") : null;
        Double best = null;
        int epochs = 0;
        try {
            if (own(dir, MetricsFile.FILE) != null) {
                List<EpochMetrics> done = MetricsFile.readGrowing(dir).epochs();
                epochs = done.size();
                for (EpochMetrics epoch : done) {
                    if (Double.isFinite(epoch.valAccuracy()) && (best == null || epoch.valAccuracy() > best)) {
                        best = epoch.valAccuracy();
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            status = "unreadable metrics: " + Messages.firstLine(e.getMessage());
        }
        return new Row(name, network, status != null ? status : "unknown", epochs,
                max != null ? parseInt(max) : 0, best, started);
    }

    /**
     * Returns the run directory called {@code name}.
     *
     * @throws HttpError 404 unless it is a run directly under the folder
     */
    Path run(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.contains("/") || name.contains("\\") || name.indexOf('\0') >= 0) {
            throw HttpError.notFound("no run '" + name + "'");
        }
        Path dir;
        try {
            dir = root.resolve(name);
        } catch (java.nio.file.InvalidPathException e) {
            throw HttpError.notFound("no run '" + name + "'");
        }
        if (!Files.isDirectory(dir) || !inside(dir) || !RunDirectory.holdsRun(dir)) {
            throw HttpError.notFound("no run '" + name + "'");
        }
        return dir;
    }

    /**
     * Returns the file at {@code relative} inside run {@code name}.
     *
     * @throws HttpError 404 unless it is a regular file inside the folder
     */
    Path file(String name, String relative) {
        Path dir = run(name);
        if (relative.isEmpty() || relative.startsWith("/") || relative.contains("\\") || relative.indexOf('\0') >= 0) {
            throw HttpError.notFound("no file '" + relative + "' in run '" + name + "'");
        }
        Path file;
        try {
            file = dir.resolve(relative).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw HttpError.notFound("no file '" + relative + "' in run '" + name + "'");
        }
        if (!file.startsWith(dir) || !Files.isRegularFile(file) || !inside(file)) {
            throw HttpError.notFound("no file '" + relative + "' in run '" + name + "'");
        }
        return file;
    }

    /** Returns the epochs and training-loss points written so far (none before the first). */
    MetricsFile metrics(String name) {
        Path dir = run(name);
        if (own(dir, MetricsFile.FILE) == null) {
            return new MetricsFile(List.of(), List.of());
        }
        try {
            return MetricsFile.readGrowing(dir);
        } catch (IllegalArgumentException e) {
            throw new HttpError(500, "run '" + name + "': " + Messages.firstLine(e.getMessage()));
        }
    }

    /**
     * A run's details for its page.
     *
     * @param row its row in the list
     * @param config its config.json, or {@code null}
     * @param manifest its manifest.json, or {@code null}
     * @param pictures the pictures in it (curves, confusion matrix, filters...), relative to it
     */
    record Details(Row row, JsonElement config, JsonElement manifest, List<String> pictures) {}

    /** Returns run {@code name}'s details. */
    Details details(String name) {
        Path dir = run(name);
        List<String> pictures = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir, 2)) {
            files.filter(file -> !file.startsWith(dir.resolve("checkpoints")))
                    .filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                    .filter(file -> PICTURE_SUFFIXES.stream().anyMatch(
                            suffix -> file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(suffix)))
                    .map(file -> dir.relativize(file).toString())
                    .sorted()
                    .forEach(pictures::add);
        } catch (IOException | java.io.UncheckedIOException e) {
            // a directory that changes while it is walked: show the pictures found so far
        }
        return new Details(row(name, dir), readObject(dir, RunDirectory.CONFIG_FILE), readObject(dir, Manifest.FILE),
                pictures);
    }

    /** Returns whether {@code path}, with every link followed, is still inside the folder. */
    private boolean inside(Path path) {
        try {
            return path.toRealPath().startsWith(root);
        } catch (IOException e) {
            return false;
        }
    }

    /** The largest configuration, manifest or metrics file the board reads. */
    private static final long MAX_READ_BYTES = 64L * 1024 * 1024;

    /**
     * Returns the run's own file {@code name}: a regular file itself, not a link that could lead
     * anywhere (a device, a pipe, a file outside), and not larger than the board reads; else null.
     */
    private static Path own(Path dir, String name) {
        Path file = dir.resolve(name);
        try {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) <= MAX_READ_BYTES ? file : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonObject readObject(Path dir, String name) {
        Path file = own(dir, name);
        try {
            if (file == null) {
                return null;
            }
            JsonElement element = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            return element.isJsonObject() ? element.getAsJsonObject() : null;
        } catch (IOException | RuntimeException e) {
            return null; // being replaced at this moment, or not JSON: the page shows what it can
        }
    }

    private static String string(JsonObject object, String... path) {
        JsonElement at = object;
        for (String key : path) {
            if (!(at instanceof JsonObject inner) || !inner.has(key)) {
                return null;
            }
            at = inner.get(key);
        }
        return at.isJsonPrimitive() ? at.getAsString() : null;
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
