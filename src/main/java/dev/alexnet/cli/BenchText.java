package dev.alexnet.cli;

import dev.alexnet.bench.BenchReport;
import dev.alexnet.bench.BenchResult;
import dev.alexnet.bench.LayerProfile;
import dev.alexnet.bench.MachineInfo;
import dev.alexnet.bench.PeerComparison;
import java.io.PrintWriter;
import java.util.Locale;

/** The tables {@code alexnet bench} prints for people. */
final class BenchText {

    private BenchText() {}

    static void printProfile(LayerProfile.Result profile, PrintWriter out) {
        out.printf(Locale.ROOT, "%nlayer profile at batch %d: forward %.3f s, backward %.3f s; convolution and dense "
                + "layers take %.0f%% of it%n", profile.batchSize(), profile.forwardSeconds(), profile.backwardSeconds(),
                100 * profile.arithmeticShare());
        out.printf(Locale.ROOT, "%3s  %-10s %-20s %9s %13s %9s %13s%n", "#", "layer", "output shape", "fwd ms", "fwd rate",
                "bwd ms", "bwd rate");
        for (LayerProfile.Row row : profile.rows()) {
            out.printf(Locale.ROOT, "%3d  %-10s %-20s %9.1f %13s %9.1f %13s%n", row.index(), row.name(),
                    row.outputShape(), 1e3 * row.forwardSeconds(), rate(row.forwardGflops(), row.forwardGbPerSec()),
                    1e3 * row.backwardSeconds(), rate(row.backwardGflops(), row.backwardGbPerSec()));
        }
    }

    private static String rate(Double gflops, double gbPerSec) {
        return gflops != null ? String.format(Locale.ROOT, "%.1f GFLOP/s", gflops)
                : String.format(Locale.ROOT, "%.1f GB/s", gbPerSec);
    }

    static void print(BenchReport report, PrintWriter out) {
        out.printf(Locale.ROOT, "%s, %d cores, %d engine threads, %s; %s at %dx%d%n", report.machine().cpu(),
                report.machine().cores(), report.machine().engineThreads(), report.machine().engine(),
                report.config().model().name(), report.config().model().inputSize(), report.config().model().inputSize());
        MachineInfo machine = report.machine();
        out.printf(Locale.ROOT, "float32 ceiling: %.1f GFLOP/s (%s, the best of %d kernels measured before and after "
                + "the steps)%n", machine.ceilingGflops(), machine.ceilingKernel(), machine.kernelGflops().size());
        machine.kernelGflops().forEach((kernel, gflops) -> out.printf(Locale.ROOT, "  %-28s %7.1f GFLOP/s%n", kernel,
                gflops));
        if (machine.peakGflops() != null) {
            out.printf(Locale.ROOT, "theoretical peak: %.1f GFLOP/s = %s%s%n", machine.peakGflops(), machine.peakBasis(),
                    machine.ceilingGflops() > machine.peakGflops() ? "; measured above it: the CPU runs faster than "
                            + "that clock" : "");
        }
        out.printf(Locale.ROOT, "median of %d steps after %d warm-up; step seconds as median [min-max]%n",
                report.config().steps(), report.config().warmup());
        boolean accuracy = report.results().stream().anyMatch(r -> r.valAccuracy() != null);
        out.printf(Locale.ROOT, "%6s %10s %10s %7s %8s %7s %10s %22s %8s%s%n", "batch", "engine/s", "pipeline/s", "ratio",
                "GFLOP/s", "limit", "peak MB", "engine step s", "infer/s", accuracy ? "   lr      val acc" : "");
        for (BenchResult r : report.results()) {
            out.printf(Locale.ROOT, "%6d %10.1f %10.1f %7.3f %8.1f %7.3f %10.0f %22s %8.1f%s%n", r.batchSize(),
                    r.engineImagesPerSec(), r.pipelineImagesPerSec(), r.pipelineRatio(), r.gflops(), r.limitRatio(),
                    r.peakRssBytes() / 1e6, String.format(Locale.ROOT, "%.3f [%.3f-%.3f]", r.engineStepSeconds().median(),
                            r.engineStepSeconds().min(), r.engineStepSeconds().max()), r.evalImagesPerSec(),
                    r.valAccuracy() == null ? "" : String.format(Locale.ROOT, "   %-7s %.4f", r.learningRate(), r.valAccuracy()));
        }
    }

    static void printPeers(PeerComparison result, MachineInfo.Cpu cpu, PrintWriter out) {
        out.printf(Locale.ROOT, "%s, %d cores, %d engine threads, %s; the book's AlexNet at %d, batches of %d, %d "
                + "images per side and round%n", cpu.cpu(), cpu.cores(), cpu.engineThreads(), cpu.engine(),
                result.size(), PeerComparison.BATCH, result.images());
        out.printf(Locale.ROOT, "%-50s %12s   %s%n", "training", "median img/s", "each round");
        out.printf(Locale.ROOT, "%-50s %12.1f   %s%n", "alexnet (this project)",
                PeerComparison.median(result.oursImagesPerSec()), rounds(result.oursImagesPerSec()));
        out.printf(Locale.ROOT, "%-50s %12.1f   %s%n", "DJL EasyTrain, per-image Resize+ToTensor (d2l-java)",
                PeerComparison.median(result.peerImagesPerSec()), rounds(result.peerImagesPerSec()));
        out.printf(Locale.ROOT, "ratio: %.2fx%n", result.ratio());
    }

    private static String rounds(java.util.List<Double> rates) {
        return rates.stream().map(r -> String.format(Locale.ROOT, "%.1f", r))
                .collect(java.util.stream.Collectors.joining(", "));
    }
}
