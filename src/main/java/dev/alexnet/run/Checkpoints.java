package dev.alexnet.run;

import dev.alexnet.model.Classifier;
import dev.alexnet.train.RunConfig;
import dev.alexnet.train.TrainingState;
import ai.djl.training.optimizer.Optimizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A run's {@code checkpoints/} directory: one file per checkpoint, named by position so that names
 * sort oldest to newest; the newest K are kept, plus the one after the best validation accuracy.
 */
public final class Checkpoints {

    /** The checkpoint directory inside a run directory. */
    public static final String DIR = "checkpoints";

    private static final String PREFIX = "ckpt-";
    private static final String SUFFIX = ".ckpt";

    private Checkpoints() {}

    /** Returns the file name of a checkpoint at {@code state}. */
    static String fileName(TrainingState state) {
        return String.format(Locale.ROOT, "%se%04d-s%06d%s", PREFIX, state.epochsDone(), state.stepInEpoch(), SUFFIX);
    }

    /** Writes a checkpoint into {@code runDir} and prunes old ones; returns the file written. */
    public static Path save(Path runDir, RunConfig config, TrainingState state, Classifier model, Optimizer optimizer,
            String reason, int keep) {
        Path dir = runDir.resolve(DIR);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        Path file = dir.resolve(fileName(state));
        CheckpointFile.write(file, config, state, model, optimizer, reason);
        prune(runDir, keep);
        return file;
    }

    /** Returns a run's checkpoint files, oldest first. */
    public static List<Path> list(Path runDir) {
        Path dir = runDir.resolve(DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
            }).sorted(Comparator.comparing(f -> f.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns the newest checkpoint that reads and verifies, telling {@code skipped} about each newer
     * one that does not.
     *
     * @throws IllegalArgumentException if there is none
     */
    public static CheckpointFile.Loaded newestValid(Path runDir, Consumer<String> skipped) {
        List<Path> files = new ArrayList<>(list(runDir));
        java.util.Collections.reverse(files);
        for (Path file : files) {
            try {
                return CheckpointFile.read(file);
            } catch (IllegalArgumentException e) {
                skipped.accept("skipping " + e.getMessage());
            }
        }
        throw new IllegalArgumentException(runDir + ": no valid checkpoint in " + runDir.resolve(DIR));
    }

    /** Deletes all checkpoints but the newest {@code keep} and the one after the best validation accuracy. */
    static void prune(Path runDir, int keep) {
        List<Path> files = list(runDir);
        Set<Path> kept = new HashSet<>(files.subList(Math.max(0, files.size() - keep), files.size()));
        Path best = null;
        double bestAccuracy = -1;
        for (Path file : files) {
            try {
                TrainingState state = CheckpointFile.readHeader(file).state();
                // Epoch-end checkpoints carry their epoch's accuracy; the first to reach the best wins.
                if (state.stepInEpoch() == 0 && state.epochsDone() > 0 && state.lastValAccuracy() > bestAccuracy) {
                    bestAccuracy = state.lastValAccuracy();
                    best = file;
                }
            } catch (IllegalArgumentException e) {
                // an unreadable file is never the best; it goes unless it is among the newest
            }
        }
        if (best != null) {
            kept.add(best);
        }
        for (Path file : files) {
            if (!kept.contains(file)) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete old checkpoint " + file + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
