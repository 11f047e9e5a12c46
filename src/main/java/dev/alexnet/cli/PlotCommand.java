package dev.alexnet.cli;

import dev.alexnet.run.TrainingCurves;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code alexnet plot --run DIR}: redraws a run's training curves from its metrics file. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Redraw a run's curves.png and curves.svg (train loss, validation loss and accuracy) from metrics.csv.")
final class PlotCommand implements Callable<Integer> {

    @Option(names = "--run", paramLabel = "DIR", description = "A run directory written by 'alexnet train'.")
    Path runDir;

    /** The old spelling: the run directory as a positional argument. */
    @Parameters(paramLabel = "RUN_DIR", arity = "0..1", hidden = true)
    Path positional;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (positional != null) {
            if (runDir != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give --run DIR once");
            }
            AlexNetCommand.renamed(spec, "plot RUN_DIR", "plot --run RUN_DIR");
            runDir = positional;
        }
        if (runDir == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--run=DIR'");
        }
        TrainingCurves.draw(runDir);
        spec.commandLine().getOut().println("wrote " + runDir.resolve("curves.png") + " and " + runDir.resolve("curves.svg"));
        return 0;
    }
}
