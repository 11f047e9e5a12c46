package dev.alexnet.train;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Measures memory: the process's resident set and the engine arrays a manager holds. */
public final class MemoryProbe {

    private static final Path STATUS = Path.of("/proc/self/status");

    private MemoryProbe() {}

    /** Returns the resident set size of this process in bytes, or -1 where /proc is not available. */
    public static long residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
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
