package dev.alexnet.cli;

import ai.djl.Device;
import dev.alexnet.io.Json;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.run.RunDirectory;
import dev.alexnet.run.TrainingRun;
import dev.alexnet.train.ConsoleListener;
import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.MemoryLogListener;
import dev.alexnet.train.ProgressListener;
import dev.alexnet.train.RunConfig;
import dev.alexnet.train.TrainingDivergedException;
import dev.alexnet.train.TrainingListener;
import dev.alexnet.train.TrainingStoppedException;
import dev.alexnet.weights.WeightsFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code alexnet train}: maps its flags onto a {@link RunConfig} (a preset, the book's by default)
 * and runs it as a {@link TrainingRun}, exactly as a library user would.
 */
@Command(name = "train", mixinStandardHelpOptions = true, defaultValueProvider = ConfigFlags.BookDefaults.class,
        description = "Train on Fashion-MNIST; each epoch prints train loss, validation loss and accuracy, images/s.")
final class TrainCommand implements Callable<Integer> {

    /** Exit code after Ctrl-C: 128 + SIGINT, as shells expect. */
    static final int INTERRUPTED = 130;

    @Mixin ModelOptions network;

    @Mixin TrainOptions recipe;

    @Mixin DataOptions data;

    @Mixin ComputeOptions compute;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        Device device = compute.apply();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter progress = recipe.json ? err : stdout;
        try (TrainingRun run = recipe.resume != null ? resumeRun(device, err) : newRun(device, err)) {
            progress.println("run directory: " + run.dir() + "  device: " + device);
            List<TrainingListener> listeners = new ArrayList<>();
            listeners.add(AlexNetCommand.stderrTerminal() ? ProgressListener.bar(System.err) : ProgressListener.lines(err));
            listeners.add(new ConsoleListener(progress));
            if (recipe.logMemory != null) {
                listeners.add(new MemoryLogListener(recipe.logMemory, run.model().model().getNDManager(), err));
            }
            StopSignals.onStop(run::requestStop, err);
            try {
                List<EpochMetrics> history = run.fit(listeners);
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("runDir", run.dir().toString());
                result.put("epochs", history);
                stdout.println(recipe.json ? Json.compact().toJson(result) : "model saved in " + run.dir());
                return 0;
            } catch (TrainingStoppedException e) {
                err.println("stopped after epoch " + e.state().epochsDone() + " and " + e.state().stepInEpoch()
                        + " steps of the next; checkpoint: " + run.newestCheckpoint());
                err.println("resume with: bin/alexnet train --resume " + run.dir());
                return INTERRUPTED;
            } catch (TrainingDivergedException e) {
                Path last = run.newestCheckpoint();
                throw new IllegalStateException(e.getMessage() + "; "
                        + (last == null ? "no checkpoint was written before" : "last good checkpoint kept: " + last), e);
            } finally {
                StopSignals.clear();
                err.flush();
            }
        }
    }

    private TrainingRun newRun(Device device, PrintWriter err) {
        RunConfig config = ConfigFlags.apply(RunConfig.preset(recipe.preset == null ? RunConfig.BOOK : recipe.preset), spec);
        if (recipe.initFrom != null) {
            // The file's metadata knows its network and input size; flags given still win (and are checked).
            ModelConfig fromFile = WeightsFile.configFor(recipe.initFrom, given("--model") ? network.model : null,
                    given("--resize") ? network.resize : null);
            // the recipe's network and size kept where the file agrees (a preset's resize schedule with them)
            if (!fromFile.name().equals(config.model().name())) {
                config = config.withModel(fromFile.name());
            }
            if (fromFile.inputSize() != config.model().inputSize()) {
                config = config.withInputSize(fromFile.inputSize());
            }
        }
        return TrainingRun.create(config, recipe.out,
                recipe.initFrom == null ? null : WeightsFile.initialWeights(recipe.initFrom, note -> {
                    err.println("note: " + note);
                    err.flush();
                }), device,
                warning -> warn(err, warning));
    }

    private TrainingRun resumeRun(Device device, PrintWriter err) {
        if (recipe.out != null && !recipe.out.toAbsolutePath().normalize().equals(recipe.resume.toAbsolutePath().normalize())) {
            throw usage("--out and --resume name different directories; a resumed run stays in its own");
        }
        if (recipe.initFrom != null) {
            throw usage("--init-from starts a new run; a resumed run continues from its own checkpoint");
        }
        ConfigFlags.refuseChanges(RunDirectory.readConfig(recipe.resume), recipe.preset, spec);
        return TrainingRun.resume(recipe.resume, given("--epochs") ? recipe.epochs : null, data.dataDir, device,
                warning -> warn(err, warning));
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private boolean given(String flag) {
        return spec.commandLine().getParseResult().hasMatchedOption(flag);
    }

    private static void warn(PrintWriter err, String warning) {
        err.println("warning: " + warning);
        err.flush();
    }
}
