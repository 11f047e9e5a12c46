package dev.alexnet.cli;

import dev.alexnet.model.NetworkAnalysis;
import dev.alexnet.io.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code alexnet analyze}: memory and FLOPs per layer, convolutions against dense layers (exercise 1). */
@Command(name = "analyze", mixinStandardHelpOptions = true, defaultValueProvider = ConfigFlags.BookDefaults.class,
        description = "Per layer: parameters, parameter and activation memory, MACs and FLOPs (forward and training step); "
                + "totals for convolutional and dense layers.")
final class AnalyzeCommand implements Callable<Integer> {

    @Mixin
    ModelOptions network;

    @Option(names = "--batch-size", defaultValue = "1", converter = Converters.BatchSize.class, paramLabel = "B",
            description = "Batch for activation memory and FLOPs (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--num-classes", converter = Converters.Classes.class, paramLabel = "N",
            description = "Classes the output layer scores (default: 10, Fashion-MNIST's).")
    Integer numClasses;

    @Option(names = "--channels", converter = Converters.Channels.class, paramLabel = "1|3",
            description = "Input channels: 1 (grey, as Fashion-MNIST) or 3 (RGB, a folder of colour pictures) "
                    + "(default: 1).")
    Integer channels;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        dev.alexnet.model.ModelConfig config = network.config();
        config = new dev.alexnet.model.ModelConfig(config.name(), numClasses == null ? config.numClasses() : numClasses,
                config.inputSize(), channels == null ? 1 : channels, null, null);
        NetworkAnalysis analysis = NetworkAnalysis.of(config, batchSize);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.compact().toJson(AnalyzeText.toJson(analysis)));
        } else {
            AnalyzeText.print(analysis, out);
        }
        return 0;
    }
}
