package dev.alexnet.cli;

import dev.alexnet.io.Outputs;
import dev.alexnet.train.Compute;
import dev.alexnet.model.Classifier;
import dev.alexnet.weights.TorchNames;
import dev.alexnet.weights.WeightsFile;
import dev.alexnet.weights.WeightsFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code alexnet export}: a trained model's weights under the chapter's PyTorch names. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a trained model's weights as safetensors or NPZ, named as in the chapter's PyTorch "
                + "model (net.0.weight, net.0.bias, ...), loadable with load_state_dict.")
final class ExportCommand implements Callable<Integer> {

    @Mixin
    ModelSource source;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write.")
    Path out;

    @Option(names = "--overwrite", description = "Replace FILE if it exists (default: refuse, leaving it as it is).")
    boolean overwrite;

    @Option(names = "--format", paramLabel = "safetensors|npz",
            description = "File format (default: npz if FILE ends in .npz, else safetensors).")
    String format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        WeightsFormat chosen = chosenFormat();
        source.check(spec);
        Outputs.checkFile(out, overwrite);
        try (Classifier model = source.load(Compute.device("auto"))) {
            WeightsFile.export(model, out, chosen);
            PrintWriter writer = spec.commandLine().getOut();
            writer.printf(Locale.ROOT, "wrote %s: %s %dx%d, %d tensors named %s0.weight ..., %s%n", out,
                    model.config().name(), model.config().inputSize(), model.config().inputSize(),
                    TorchNames.of((ai.djl.nn.SequentialBlock) model.block()).size(), TorchNames.PREFIX,
                    chosen.label());
        }
        return 0;
    }

    private WeightsFormat chosenFormat() {
        if (format == null) {
            return out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npz")
                    ? WeightsFormat.NPZ : WeightsFormat.SAFETENSORS;
        }
        try {
            return WeightsFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '--format': " + e.getMessage());
        }
    }
}
