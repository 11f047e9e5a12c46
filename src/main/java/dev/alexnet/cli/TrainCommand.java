package dev.alexnet.cli;

import ai.djl.Device;
import dev.alexnet.data.DataConfig;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.run.Json;
import dev.alexnet.run.TrainingRun;
import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.OptimizerConfig;
import dev.alexnet.train.RunConfig;
import dev.alexnet.train.TrainingConfig;
import dev.alexnet.train.TrainingDivergedException;
import dev.alexnet.train.TrainingListener;
import dev.alexnet.train.TrainingStoppedException;
import dev.alexnet.train.listener.ConsoleListener;
import dev.alexnet.train.listener.MemoryLogListener;
import dev.alexnet.train.listener.ProgressListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import dev.alexnet.weights.WeightsFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code alexnet train}: the book's training run, with its defaults; checkpointed, resumable, interruptible. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train on Fashion-MNIST; each epoch prints train loss, validation loss and accuracy, images/s.")
final class TrainCommand implements Callable<Integer> {

    /** Exit code after Ctrl-C: 128 + SIGINT, as shells expect. */
    static final int INTERRUPTED = 130;

    @Mixin
    ModelOptions network;

    @Option(names = "--epochs", defaultValue = "10", converter = Converters.PositiveInt.class, paramLabel = "N",
            description = "Passes over the training set (default: ${DEFAULT-VALUE}); with --resume, may extend the run.")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", converter = Converters.PositiveInt.class,
            paramLabel = "N", description = "Examples per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.01", converter = Converters.PositiveFloat.class, paramLabel = "RATE",
            description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seed for initialization, dropout and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run directory (default: a new one under runs/); never overwritten.")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the run in RUN_DIR from its newest valid checkpoint, with its saved configuration.")
    Path resume;

    @Option(names = "--checkpoint-every", converter = Converters.PositiveInt.class, paramLabel = "N",
            description = "Also checkpoint every N steps (default: only at the end of each epoch).")
    Integer checkpointEvery;

    @Option(names = "--keep", defaultValue = "2", converter = Converters.PositiveInt.class, paramLabel = "K",
            description = "Keep the newest K checkpoints, plus the best by validation accuracy (default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--log-memory", converter = Converters.PositiveInt.class, paramLabel = "N",
            description = "Print resident memory and live model arrays every N steps (stderr).")
    Integer logMemory;

    @Option(names = "--optimizer", defaultValue = "sgd", paramLabel = "sgd|adam",
            description = "Optimizer: plain SGD as the book, or Adam (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--weight-decay", defaultValue = "0", paramLabel = "W",
            description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--warmup-steps", defaultValue = "0", paramLabel = "N",
            description = "With adam: raise the rate linearly from 0 over N steps (default: ${DEFAULT-VALUE}).")
    int warmupSteps;

    @Option(names = "--cosine", description = "With adam: decay the rate along a cosine to 1%% by the last step.")
    boolean cosine;

    @Option(names = "--preset", paramLabel = "book|fast|quick",
            description = "A tested recipe; flags given as well override it. book: the chapter's (the default). "
                    + "fast: the book's AlexNet at 224 for 3 epochs, Adam 2e-4 with warm-up and cosine decay, flips. "
                    + "quick: alexnet28 on the native 28x28 images, 8 epochs, Adam 3e-3 with warm-up and cosine "
                    + "decay, flips and crops (see the README).")
    String preset;

    @Option(names = "--init-from", paramLabel = "FILE",
            description = "Start from these weights (safetensors or NPZ in the chapter's PyTorch naming, from "
                    + "'alexnet export' or PyTorch) instead of a random initialization.")
    Path initFrom;

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
        Device device = compute.apply();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter progress = json ? err : stdout;
        try (TrainingRun run = resume != null ? resumeRun(device, err) : newRun(device, err)) {
            progress.println("run directory: " + run.dir() + "  device: " + device);
            List<TrainingListener> listeners = new ArrayList<>();
            listeners.add(AlexNetCommand.stderrTerminal() ? ProgressListener.bar(System.err) : ProgressListener.lines(err));
            listeners.add(new ConsoleListener(progress));
            if (logMemory != null) {
                listeners.add(new MemoryLogListener(logMemory, run.model().model().getNDManager(), err));
            }
            StopSignals.onStop(run::requestStop, err);
            try {
                List<EpochMetrics> history = run.fit(listeners);
                report(run, history, stdout);
                return 0;
            } catch (TrainingStoppedException e) {
                err.println("stopped after epoch " + e.state().epochsDone() + " and " + e.state().stepInEpoch()
                        + " steps of the next; checkpoint: " + run.newestCheckpoint());
                err.println("resume with: bin/alexnet train --resume " + run.dir());
                err.flush();
                return INTERRUPTED;
            } catch (TrainingDivergedException e) {
                Path last = run.newestCheckpoint();
                throw new IllegalStateException(e.getMessage() + "; "
                        + (last == null ? "no checkpoint was written before" : "last good checkpoint kept: " + last), e);
            } finally {
                StopSignals.clear();
            }
        }
    }

    private TrainingRun newRun(Device device, PrintWriter err) {
        if (preset != null) {
            applyPreset();
        }
        if (initFrom != null) {
            // The file's metadata knows its network and input size; flags given still win (and are checked).
            ModelConfig fromFile = WeightsFile.configFor(initFrom, given("--model") ? network.model : null,
                    network.resize);
            network.model = fromFile.name();
            network.resize = fromFile.inputSize();
        }
        ModelConfig model = new ModelConfig(network.model, 10, network.inputSize());
        DataConfig dataConfig = new DataConfig(data.dataDir, batchSize, network.inputSize(), data.limit, data.valLimit, seed,
                data.augment);
        TrainingConfig training = new TrainingConfig(epochs, seed, checkpointEvery, keep);
        OptimizerConfig optimizerConfig = new OptimizerConfig(optimizer, weightDecay, warmupSteps, cosine);
        TrainingRun.InitialWeights initial = initFrom == null ? null
                : new TrainingRun.InitialWeights(WeightsFile.describe(initFrom),
                        fresh -> WeightsFile.loadInto(fresh, initFrom));
        return TrainingRun.create(new RunConfig(model, learningRate, dataConfig, training, optimizerConfig), out, device,
                warning -> warn(err, warning), initial);
    }

    /** Fills the flags the user did not give from the preset's recipe. */
    private void applyPreset() {
        Presets.Recipe recipe;
        try {
            recipe = Presets.named(preset);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '--preset': " + e.getMessage());
        }
        if (!given("--model")) {
            network.model = recipe.model();
        }
        if (!given("--epochs")) {
            epochs = recipe.epochs();
        }
        if (!given("--batch-size")) {
            batchSize = recipe.batchSize();
        }
        if (!given("--lr")) {
            learningRate = recipe.learningRate();
        }
        if (!given("--optimizer")) {
            optimizer = recipe.optimizer().name();
        }
        if (!given("--weight-decay")) {
            weightDecay = recipe.optimizer().weightDecay();
        }
        if (!given("--warmup-steps")) {
            warmupSteps = recipe.optimizer().warmupSteps();
        }
        if (!given("--cosine")) {
            cosine = recipe.optimizer().cosine();
        }
        if (!given("--augment")) {
            data.augment = recipe.augmentation();
        }
    }

    private TrainingRun resumeRun(Device device, PrintWriter err) {
        if (out != null && !out.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize())) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--out and --resume name different directories; a resumed run stays in its own");
        }
        if (initFrom != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--init-from starts a new run; a resumed run continues from its own checkpoint");
        }
        RunConfig saved = dev.alexnet.run.RunDirectory.readConfig(resume);
        List<String> differences = differences(saved);
        if (!differences.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "flags differ from the run being resumed: " + String.join(", ", differences)
                            + " (leave them out to use the saved ones)");
        }
        Integer newEpochs = given("--epochs") ? epochs : null;
        return TrainingRun.resume(resume, newEpochs, data.dataDir, device, warning -> warn(err, warning));
    }

    /** Lists the flags given again whose values differ from the saved configuration. */
    private List<String> differences(RunConfig saved) {
        Map<String, Object[]> compared = new LinkedHashMap<>();
        compared.put("--model", new Object[] {network.model, saved.model().name()});
        compared.put("--resize", new Object[] {network.inputSize(), saved.model().inputSize()});
        compared.put("--batch-size", new Object[] {batchSize, saved.data().batchSize()});
        compared.put("--lr", new Object[] {learningRate, saved.learningRate()});
        compared.put("--seed", new Object[] {seed, saved.data().seed()});
        compared.put("--limit", new Object[] {data.limit, saved.data().limit()});
        compared.put("--val-limit", new Object[] {data.valLimit, saved.data().valLimit()});
        compared.put("--augment", new Object[] {String.valueOf(data.augment), String.valueOf(saved.data().augmentationOrNone())});
        compared.put("--checkpoint-every", new Object[] {checkpointEvery, saved.training().checkpointEvery()});
        compared.put("--keep", new Object[] {keep, saved.training().keep()});
        compared.put("--optimizer", new Object[] {optimizer, saved.optimizerOrSgd().name()});
        List<String> differences = new ArrayList<>();
        compared.forEach((flag, values) -> {
            if (given(flag) && !Objects.equals(values[0], values[1])) {
                differences.add(flag + " " + values[0] + " (run: " + values[1] + ")");
            }
        });
        return differences;
    }

    private boolean given(String flag) {
        return spec.commandLine().getParseResult().hasMatchedOption(flag);
    }

    private static void warn(PrintWriter err, String warning) {
        err.println("warning: " + warning);
        err.flush();
    }

    private void report(TrainingRun run, List<EpochMetrics> history, PrintWriter stdout) {
        if (json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("runDir", run.dir().toString());
            result.put("epochs", history);
            stdout.println(Json.compact().toJson(result));
        } else {
            stdout.println("model saved in " + run.dir());
        }
        stdout.flush();
    }
}
