package dev.alexnet.cli;

import dev.alexnet.bench.BenchChart;
import dev.alexnet.bench.BenchConfig;
import dev.alexnet.bench.BenchReport;
import dev.alexnet.bench.BenchResult;
import dev.alexnet.bench.Benchmark;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.run.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import dev.alexnet.bench.LayerProfile;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code alexnet bench}: throughput, ceiling and memory against batch size (exercise 6), measured here. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure training throughput per batch size: the engine alone, fed by the real data path, "
                + "against the machine's matrix-product ceiling; peak memory; optionally accuracy.")
final class BenchCommand implements Callable<Integer> {

    @Mixin
    ModelOptions network;

    @Option(names = "--batch-sizes", defaultValue = "32,64,128,256", split = ",", converter = Converters.PositiveInt.class,
            paramLabel = "B,B,..", description = "Batch sizes to measure (default: ${DEFAULT-VALUE}).")
    List<Integer> batchSizes;

    @Option(names = "--steps", defaultValue = "5", converter = Converters.PositiveInt.class, paramLabel = "S",
            description = "Timed steps per batch size and phase (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "2", paramLabel = "W",
            description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--lr", defaultValue = "0.01", converter = Converters.PositiveFloat.class, paramLabel = "RATE",
            description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--scale-lr", description = "In accuracy runs, scale the rate by batch/128 (linear scaling rule); "
            + "default: the same rate for every batch size.")
    boolean scaleLearningRate;

    @Option(names = "--train-epochs", converter = Converters.PositiveInt.class, paramLabel = "E",
            description = "Also train E epochs per batch size and report validation accuracy (use --limit to keep it short).")
    Integer trainEpochs;

    @Option(names = "--gemm-size", defaultValue = "2048", converter = Converters.PositiveInt.class, paramLabel = "N",
            description = "Side of the float32 matrix product that measures the ceiling (default: ${DEFAULT-VALUE}).")
    int gemmSize;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw throughput, memory and accuracy against batch size.")
    Path plot;

    @Option(names = "--profile", description = "Also time each layer's forward and backward pass at each batch size, "
            + "with its GFLOP/s (or GB/s for layers that mostly move data).")
    boolean profile;

    @Option(names = "--json", description = "Print one JSON object on stdout; progress goes to stderr.")
    boolean json;

    @Mixin
    DataOptions data;

    @Mixin
    ComputeOptions compute;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (warmup < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--warmup must be 0 or more");
        }
        BenchConfig config = new BenchConfig(new ModelConfig(network.model, 10, network.inputSize()), batchSizes, steps,
                warmup, learningRate, scaleLearningRate, data.dataDir, trainEpochs, data.limit, data.valLimit,
                gemmSize, seed, data.augment);
        PrintWriter err = spec.commandLine().getErr();
        BenchReport report = new Benchmark(config, compute.apply(), line -> {
            err.println(line);
            err.flush();
        }).run();
        if (plot != null) {
            BenchChart.write(report, plot);
        }
        List<LayerProfile.Result> profiles = new ArrayList<>();
        if (profile) {
            for (int batchSize : batchSizes) {
                err.println("batch " + batchSize + ": layer profile");
                err.flush();
                profiles.add(LayerProfile.measure(config.model(), batchSize, warmup, steps, compute.apply(), seed));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("machine", report.machine());
            result.put("config", report.config());
            result.put("results", report.results());
            if (profile) {
                result.put("profiles", profiles);
            }
            out.println(Json.compact().toJson(result));
        } else {
            print(report, out);
            profiles.forEach(p -> printProfile(p, out));
        }
        return 0;
    }

    private static void printProfile(LayerProfile.Result profile, PrintWriter out) {
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

    private static void print(BenchReport report, PrintWriter out) {
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
