package dev.alexnet.cli;

import dev.alexnet.run.TrainingCurves;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code alexnet plot RUN_DIR}: redraws a run's training curves from its metrics file. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Redraw RUN_DIR/curves.png and curves.svg (train loss, validation loss and accuracy) from metrics.csv.")
final class PlotCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR", description = "A run directory written by 'alexnet train'.")
    Path runDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        TrainingCurves.draw(runDir);
        spec.commandLine().getOut().println("wrote " + runDir.resolve("curves.png") + " and " + runDir.resolve("curves.svg"));
        return 0;
    }
}
