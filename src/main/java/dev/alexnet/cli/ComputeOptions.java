package dev.alexnet.cli;

import ai.djl.Device;
import dev.alexnet.train.Compute;
import picocli.CommandLine.Option;

/** The flags that choose where and with how many threads the engine computes. */
final class ComputeOptions {

    @Option(names = "--threads", converter = Converters.PositiveInt.class, paramLabel = "N",
            description = "CPU threads for the engine (default: PyTorch's choice, one per core).")
    Integer threads;

    @Option(names = "--device", defaultValue = "auto", converter = Converters.DeviceChoice.class, paramLabel = "auto|cpu|gpu",
            description = "Where to compute: a GPU when DJL finds one (auto), or force cpu or gpu (default: ${DEFAULT-VALUE}).")
    String device;

    /** Applies the thread count (before the engine starts) and returns the chosen device. */
    Device apply() {
        if (threads != null) {
            Compute.useThreads(threads);
        }
        return Compute.device(device);
    }
}
