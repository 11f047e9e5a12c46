package dev.alexnet.cli;

import dev.alexnet.bench.BenchChart;
import dev.alexnet.bench.BenchConfig;
import dev.alexnet.bench.BenchReport;
import dev.alexnet.bench.Benchmark;
import dev.alexnet.bench.MachineInfo;
import dev.alexnet.bench.PeerComparison;
import dev.alexnet.io.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import dev.alexnet.bench.LayerProfile;
import java.util.function.Consumer;
import ai.djl.Device;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code alexnet bench}: throughput, ceiling and memory against batch size (exercise 6), measured here. */
@Command(name = "bench", mixinStandardHelpOptions = true, defaultValueProvider = ConfigFlags.BookDefaults.class,
        description = "Measure training throughput per batch size: the engine alone, fed by the real data path, "
                + "against the machine's measured float32 ceiling; inference; peak memory; optionally accuracy; "
                + "or (--peers) against DJL's EasyTrain.")
final class BenchCommand implements Callable<Integer> {

    @Mixin
    ModelOptions network;

    @Option(names = "--batch-sizes", defaultValue = "32,64,128,256", split = ",", converter = Converters.BatchSize.class,
            paramLabel = "B", splitSynopsisLabel = ",", description = "Batch sizes to measure, comma-separated (default: ${DEFAULT-VALUE}).")
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
            description = "Side of the largest square float32 matrix product among the kernels that measure the "
                    + "ceiling (with half that side, the network's dense products and a 3x3 convolution; "
                    + "default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--peers", description = "Instead: time this project's training against DJL's EasyTrain with "
            + "per-image Resize + ToTensor (the d2l-java way), the book's AlexNet (at 224 unless --resize) in "
            + "batches of 128 with SGD at 0.01, alternating, over the same images, and print the ratio "
            + "(--data-dir, --resize, --threads and --device apply).")
    boolean peers;

    @Option(names = "--peer-images", defaultValue = "1280", converter = Converters.Count.class, paramLabel = "N",
            description = "With --peers: training images per side and round (default: ${DEFAULT-VALUE}).")
    int peerImages;

    @Option(names = "--rounds", defaultValue = "2", converter = Converters.Steps.class, paramLabel = "R",
            description = "With --peers: rounds, each timing ours then the peer (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Mixin
    DataOptions data;

    @Mixin
    ComputeOptions compute;

    @Spec
    CommandSpec spec;

    /** Options of the usual measurement that {@code --peers} has no use for. */
    private static final List<String> TABLE_ONLY = List.of("--batch-sizes", "--steps", "--warmup", "--lr", "--scale-lr",
            "--train-epochs", "--gemm-size", "--seed", "--plot", "--overwrite", "--profile", "--limit", "--val-limit",
            "--augment", "--data", "--channels");

    /** Options of {@code --peers} alone. */
    private static final List<String> PEERS_ONLY = List.of("--peer-images", "--rounds");

    @Override
    public Integer call() {
        picocli.CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        for (String option : peers ? TABLE_ONLY : PEERS_ONLY) {
            if (parsed.hasMatchedOption(option)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), peers
                        ? "--peers times the book's recipe (batch 128, SGD at 0.01); " + option + " does not apply"
                        : option + " needs --peers");
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> progress = line -> {
            err.println(line);
            err.flush();
        };
        PrintWriter out = spec.commandLine().getOut();
        if (peers) {
            try {
                PeerComparison.check(network.model, peerImages);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            PeerComparison result = PeerComparison.measure(data.dataDir, network.config().inputSize(), peerImages,
                    rounds, compute.apply(), progress);
            MachineInfo.Cpu cpu = MachineInfo.Cpu.here();
            if (json) {
                out.println(Json.compact().toJson(result.toJson(cpu)));
            } else {
                BenchText.printPeers(result, cpu, out);
            }
            return 0;
        }
        if (plot != null) {
            dev.alexnet.io.Outputs.checkFile(plot, overwrite);
        }
        BenchConfig config = BenchConfig.builder(network.config()).batchSizes(batchSizes).steps(steps, warmup)
                .learningRate(learningRate, scaleLearningRate).data(data.dataDir, data.limit, data.valLimit, data.augment)
                .folder(data.source == null ? null : Converters.DataSource.folder(data.source), data.channels)
                .trainEpochs(trainEpochs).gemmSize(gemmSize).seed(seed).build();
        Device device = compute.apply();
        BenchReport report = new Benchmark(config, device, progress).run();
        if (plot != null) {
            BenchChart.write(report, plot);
        }
        List<LayerProfile.Result> profiles = profile
                ? LayerProfile.measureEach(config.model(), batchSizes, warmup, steps, device, seed, progress) : List.of();
        if (json) {
            out.println(Json.compact().toJson(report.toJson(profiles)));
        } else {
            BenchText.print(report, out);
            profiles.forEach(p -> BenchText.printProfile(p, out));
        }
        return 0;
    }
}
