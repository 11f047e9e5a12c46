package dev.alexnet.cli;

import dev.alexnet.model.LayerNames;
import dev.alexnet.model.LayerSummary;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.io.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code alexnet summary}: the book's {@code layer_summary}, with parameter counts. */
@Command(name = "summary", mixinStandardHelpOptions = true, defaultValueProvider = ConfigFlags.BookDefaults.class,
        description = "Print each layer's output shape and parameter count for one input, as the book's layer_summary.")
final class SummaryCommand implements Callable<Integer> {

    @Mixin
    ModelOptions network;

    @Option(names = "--num-classes", converter = Converters.Classes.class, paramLabel = "N",
            description = "Classes the output layer scores (default: ${DEFAULT-VALUE}).")
    Integer numClasses;

    @Option(names = "--channels", converter = Converters.Channels.class, paramLabel = "1|3",
            description = "Input channels: 1 (grey, as Fashion-MNIST) or 3 (RGB, a folder of colour pictures) "
                    + "(default: 1).")
    Integer channels;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        LayerSummary summary = LayerSummary.of(new ModelConfig(network.model, numClasses, network.inputSize(),
                channels == null ? 1 : channels, null, null));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.compact().toJson(toJson(summary)));
        } else {
            print(summary, out);
        }
        return 0;
    }

    private static Map<String, Object> toJson(LayerSummary summary) {
        List<Map<String, Object>> layers = new ArrayList<>();
        for (LayerSummary.Layer layer : summary.layers()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", layer.name());
            row.put("outputShape", layer.outputShape().getShape());
            row.put("params", layer.params());
            layers.add(row);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("input", summary.input().getShape());
        result.put("layers", layers);
        result.put("totalParams", summary.totalParams());
        return result;
    }

    private static void print(LayerSummary summary, PrintWriter out) {
        out.printf(Locale.ROOT, "input shape: %s%n", LayerNames.format(summary.input()));
        for (LayerSummary.Layer layer : summary.layers()) {
            out.printf(Locale.ROOT, "%-10s output shape: %-20s params: %,d%n",
                    layer.name(), LayerNames.format(layer.outputShape()), layer.params());
        }
        out.printf(Locale.ROOT, "total params: %,d%n", summary.totalParams());
    }
}
