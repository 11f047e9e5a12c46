package dev.alexnet.cli;

import dev.alexnet.bench.BenchChart;
import dev.alexnet.bench.BenchConfig;
import dev.alexnet.bench.BenchReport;
import dev.alexnet.bench.Benchmark;
import dev.alexnet.io.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import dev.alexnet.bench.LayerProfile;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code alexnet bench}: throughput, ceiling and memory against batch size (exercise 6), measured here. */
@Command(name = "bench", mixinStandardHelpOptions = true, defaultValueProvider = ConfigFlags.BookDefaults.class,
        description = "Measure training throughput per batch size: the engine alone, fed by the real data path, "
                + "against the machine's matrix-product ceiling; peak memory; optionally accuracy.")
final class BenchCommand implements Callable<Integer> {

    @Mixin
    ModelOptions network;

    @Option(names = "--batch-sizes", defaultValue = "32,64,128,256", split = ",", converter = Converters.BatchSize.class,
            paramLabel = "B,B,..", description = "Batch sizes to measure (default: ${DEFAULT-VALUE}).")
    List<Integer> batchSizes;

    @Option(names = "--steps", defaultValue = "5", converter = Converters.Steps.class, paramLabel = "S",
            description = "Timed steps per batch size and phase (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "2", converter = Converters.Count.class, paramLabel = "W",
            description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--lr", converter = Converters.PositiveFloat.class, paramLabel = "RATE",
            description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    Float learningRate;

    @Option(names = "--scale-lr", description = "In accuracy runs, scale the rate by batch/128 (linear scaling rule); "
            + "default: the same rate for every batch size.")
    boolean scaleLearningRate;

    @Option(names = "--train-epochs", converter = Converters.Epochs.class, paramLabel = "E",
            description = "Also train E epochs per batch size and report validation accuracy (use --limit to keep it short).")
    Integer trainEpochs;

    @Option(names = "--gemm-size", defaultValue = "2048", converter = Converters.MatrixSide.class, paramLabel = "N",
            description = "Side of the float32 matrix product that measures the ceiling (default: ${DEFAULT-VALUE}).")
    int gemmSize;

    @Option(names = "--seed", paramLabel = "N", description = "Seed (default: ${DEFAULT-VALUE}).")
    Long seed;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Draw throughput, memory and accuracy against batch size.")
    Path plot;

    @Option(names = "--overwrite", description = "Replace the --plot file if it exists (default: refuse).")
    boolean overwrite;

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
        if (plot != null) {
            dev.alexnet.io.Outputs.checkFile(plot, overwrite);
        }
        BenchConfig config = BenchConfig.builder(network.config()).batchSizes(batchSizes).steps(steps, warmup)
                .learningRate(learningRate, scaleLearningRate).data(data.dataDir, data.limit, data.valLimit, data.augment)
                .trainEpochs(trainEpochs).gemmSize(gemmSize).seed(seed).build();
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
            BenchText.print(report, out);
            profiles.forEach(p -> BenchText.printProfile(p, out));
        }
        return 0;
    }
}
