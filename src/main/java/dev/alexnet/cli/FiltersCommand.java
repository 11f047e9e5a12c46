package dev.alexnet.cli;

import dev.alexnet.report.FilterGrid;
import dev.alexnet.io.Pictures;
import dev.alexnet.io.Outputs;
import dev.alexnet.train.Compute;
import dev.alexnet.model.Classifier;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code alexnet filters}: the first layer's learned kernels as a picture, like the chapter's figure. */
@Command(name = "filters", mixinStandardHelpOptions = true,
        description = "Draw the first convolution's kernels of a trained model as a grid (each stretched to its own range).")
final class FiltersCommand implements Callable<Integer> {

    @Mixin
    ModelSource source;

    @Option(names = "--out", defaultValue = "filters.png", paramLabel = "FILE", description = "PNG to write (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--overwrite", description = "Replace FILE if it exists (default: refuse, leaving it as it is).")
    boolean overwrite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        source.check(spec);
        Outputs.checkFile(out, overwrite);
        try (Classifier model = source.load(Compute.device("auto"))) {
            Pictures.savePng(FilterGrid.draw(model), out);
        }
        spec.commandLine().getOut().println("wrote " + out);
        return 0;
    }
}
