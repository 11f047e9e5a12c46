package dev.alexnet.run;

import dev.alexnet.data.DatasetCheck;
import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.RunConfig;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;

/**
 * A run's {@code manifest.json}: everything needed to say where its model came from.
 *
 * @param config the full configuration
 * @param seed the seed
 * @param provenance program, engine, device and threads
 * @param dataset the dataset directory and the fingerprint of each file
 * @param datasetOfficial whether every file is the official release's
 * @param startedAt when the run started
 * @param resumedAt when it was resumed, in order
 * @param endedAt when it ended (completed, stopped or diverged), or {@code null} while running
 * @param status running, completed, interrupted or diverged
 * @param epochsDone epochs finished
 * @param finalMetrics the last finished epoch's metrics, or {@code null} before the first
 * @param initializedFrom the weights file the run started from, with its SHA-256, or {@code null}
 *     when it started from the network's random initialization
 */
public record Manifest(RunConfig config, long seed, Provenance provenance, Dataset dataset, boolean datasetOfficial,
        String startedAt, List<String> resumedAt, String endedAt, String status, int epochsDone,
        EpochMetrics finalMetrics, String initializedFrom) {

    /** The file name in every run directory. */
    public static final String FILE = "manifest.json";

    /**
     * The dataset a run used.
     *
     * @param dir where its files are
     * @param files each file's fingerprint
     */
    public record Dataset(String dir, List<DatasetCheck.FileCheck> files) {}

    public Manifest {
        resumedAt = List.copyOf(resumedAt);
    }

    /**
     * Returns the manifest of a run that starts now, or that restarts at epoch {@code epochsDone}
     * without a manifest of its own (written by an old version).
     *
     * @param initializedFrom the weights file it starts from, with its digest, or {@code null}
     */
    public static Manifest started(RunConfig config, Provenance provenance, Dataset dataset, int epochsDone,
            String initializedFrom) {
        boolean official = dataset.files().stream().allMatch(DatasetCheck.FileCheck::official);
        return new Manifest(config, config.training().seed(), provenance, dataset, official, Instant.now().toString(),
                List.of(), null, "running", epochsDone, null, initializedFrom);
    }

    /** Returns this manifest as a resumed run sees it: running again, resumed at {@code when}. */
    public Manifest resumed(String when, Provenance now) {
        List<String> times = new ArrayList<>(resumedAt);
        times.add(when);
        return new Manifest(config, seed, now, dataset, datasetOfficial, startedAt, times, null, "running",
                epochsDone, finalMetrics, initializedFrom);
    }

    /** Returns this manifest with the run's progress. */
    public Manifest progressed(int epochs, EpochMetrics last) {
        return new Manifest(config, seed, provenance, dataset, datasetOfficial, startedAt, resumedAt, endedAt, status,
                epochs, last, initializedFrom);
    }

    /** Returns this manifest for a run that ended with {@code how} at {@code when}. */
    public Manifest ended(String how, String when) {
        return new Manifest(config, seed, provenance, dataset, datasetOfficial, startedAt, resumedAt, when, how,
                epochsDone, finalMetrics, initializedFrom);
    }
}
