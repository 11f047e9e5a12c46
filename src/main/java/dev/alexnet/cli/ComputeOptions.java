package dev.alexnet.cli;

import ai.djl.Device;
import dev.alexnet.train.Compute;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The flags that choose where and with how many threads the engine computes. */
final class ComputeOptions {

    @Option(names = "--threads", converter = Converters.PositiveInt.class, paramLabel = "N",
            description = "CPU threads for the engine (default: PyTorch's choice, one per core; more than the cores "
                    + "only with --force-threads).")
    Integer threads;

    @Option(names = "--force-threads", description = "Use --threads even beyond the machine's cores (slower as a rule).")
    boolean forceThreads;

    @Option(names = "--device", defaultValue = "auto", converter = Converters.DeviceChoice.class, paramLabel = "auto|cpu|gpu",
            description = "Where to compute: a GPU when DJL finds one (auto), or force cpu or gpu (default: ${DEFAULT-VALUE}).")
    String device;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Applies the thread count (before the engine starts) and returns the chosen device. */
    Device apply() {
        if (threads != null) {
            int cores = Runtime.getRuntime().availableProcessors();
            int used = threads;
            if (threads > cores && !forceThreads) {
                used = cores;
                command.commandLine().getErr().println("warning: --threads " + threads + " is more than the " + cores
                        + " cores here; using " + cores + " (--force-threads to insist)");
                command.commandLine().getErr().flush();
            }
            Compute.useThreads(used);
        }
        return Compute.device(device);
    }
}
