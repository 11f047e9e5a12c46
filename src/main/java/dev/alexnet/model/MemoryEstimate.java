package dev.alexnet.model;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * What a network needs in memory for a batch, estimated from its layers before any work, so that a
 * batch the machine cannot hold is refused with a reason instead of the process being killed.
 */
public final class MemoryEstimate {

    private MemoryEstimate() {}

    /**
     * Bytes a training step holds: every layer's output kept for the backward pass and as much again
     * for the gradients flowing back, plus the parameters four times (weights, gradients, and Adam's
     * two moments).
     */
    public static long training(ModelConfig config, int batchSize) {
        NetworkAnalysis.Totals totals = NetworkAnalysis.of(config, batchSize).totals(null);
        return 2 * totals.activationBytes() + 4 * totals.paramBytes();
    }

    /** Bytes inference on a batch holds: the largest input-and-output pair of a layer, and the parameters. */
    public static long inference(ModelConfig config, int batchSize) {
        NetworkAnalysis analysis = NetworkAnalysis.of(config, 1);
        return analysis.inferenceBytesPerExample() * batchSize + analysis.totals(null).paramBytes();
    }

    /**
     * Refuses {@code bytes} when they exceed this machine's physical memory.
     *
     * @param what what needs them, for the message ("training alexnet at 224x224 in batches of 4096")
     * @throws IllegalArgumentException saying how much is needed and how much there is
     */
    public static void requireFits(long bytes, String what) {
        long physical = physicalBytes();
        if (physical > 0 && bytes > physical) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s needs about %.1f GiB of memory; this machine has %.1f GiB (use a smaller batch)", what,
                    bytes / 1073741824.0, physical / 1073741824.0));
        }
    }

    /** Returns the machine's physical memory in bytes, or -1 where the JVM cannot say. */
    public static long physicalBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }
}
