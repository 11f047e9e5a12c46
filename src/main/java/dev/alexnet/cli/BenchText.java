package dev.alexnet.cli;

import dev.alexnet.bench.BenchReport;
import dev.alexnet.bench.BenchResult;
import dev.alexnet.bench.LayerProfile;
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
        out.printf(Locale.ROOT, "float32 %d^3 matrix product: %.1f GFLOP/s (the ceiling)%n", report.config().gemmSize(),
                report.machine().gemmGflops());
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
}
