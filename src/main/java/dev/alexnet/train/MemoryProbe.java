package dev.alexnet.train;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Measures memory: the process's resident set and the engine arrays a manager holds. */
public final class MemoryProbe {

    private static final Path STATUS = Path.of("/proc/self/status");

    private MemoryProbe() {}

    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    /** Returns the resident set size of this process in bytes, or -1 where /proc is not available. */
    public static long residentBytes() {
        return statusBytes("VmRSS:");
    }

    /** Returns the peak resident set size since start or the last {@link #resetPeak()}, or -1. */
    public static long peakResidentBytes() {
        return statusBytes("VmHWM:");
    }

    /** Starts a new peak from the current resident size (Linux: "5" to clear_refs); false where it cannot. */
    public static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long statusBytes(String key) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key)) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return -1;
    }

    /** Returns how many engine arrays {@code manager} and its sub-managers hold open. */
    public static int liveArrays(NDManager manager) {
        return manager.getManagedArrays().size();
    }
}
