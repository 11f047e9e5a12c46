package dev.alexnet.cli;

import ai.djl.Device;
import dev.alexnet.model.Classifier;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.run.RunDirectory;
import dev.alexnet.weights.ShippedModel;
import dev.alexnet.weights.WeightsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Where a trained model comes from: {@code --weights PATH}, a run directory or a weights file in the chapter's
 * PyTorch naming; the shipped model when none is named.
 */
final class ModelSource {

    /** The help text of {@code --weights}, shared with the commands that take a model of their own way. */
    static final String WEIGHTS_HELP = "The trained model: a run directory written by 'alexnet train' (its final model) "
            + "or a safetensors/NPZ file in the chapter's PyTorch naming (default: the shipped "
            + "models/alexnet28-quick.safetensors).";

    @Option(names = "--weights", paramLabel = "PATH", description = WEIGHTS_HELP)
    Path weights;

    /** The old spelling of {@code --weights} for a run directory. */
    @Option(names = "--model-dir", hidden = true, paramLabel = "DIR")
    Path modelDir;

    @Option(names = "--model", converter = Converters.ModelName.class, completionCandidates = Converters.NetworkNames.class,
            paramLabel = "NAME", description = "With a weights file: the network, one of ${COMPLETION-CANDIDATES} "
                    + "(default: the file's metadata, else alexnet).")
    String model;

    @Option(names = "--resize", converter = Converters.InputSize.class, paramLabel = "N",
            description = "With a weights file: input size (default: the file's metadata, else the network's own).")
    Integer resize;

    private boolean run;

    /** Resolves the model's path (the shipped model when none is named) and refuses flags that say two things. */
    void check(CommandSpec spec) {
        weights = resolve(spec, weights, modelDir);
        run = Files.isDirectory(weights) || modelDir != null;
        if (run && (model != null || resize != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--model and --resize go with a weights file; a run directory knows its network");
        }
    }

    /**
     * Returns the model a command reads: {@code --weights}, else the old {@code --model-dir} (with a notice), else the
     * shipped model.
     */
    static Path resolve(CommandSpec spec, Path weights, Path modelDir) {
        if (modelDir == null) {
            return weights != null ? weights : ShippedModel.path();
        }
        if (weights != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give --weights PATH once (--model-dir is its old spelling)");
        }
        AlexNetCommand.renamed(spec, "--model-dir DIR", "--weights DIR");
        return modelDir;
    }

    /** Returns whether the model comes from a run directory. */
    boolean isRun() {
        return run;
    }

    /** Returns the run directory or weights file. */
    Path path() {
        return weights;
    }

    /** Returns the network and input size of a weights file (only for a file). */
    ModelConfig weightsConfig() {
        return WeightsFile.configFor(weights, model, resize);
    }

    /** Builds the model with its trained parameters on {@code device}. */
    Classifier load(Device device) {
        return isRun() ? RunDirectory.loadModel(weights, device)
                : WeightsFile.loadModel(weights, weightsConfig(), device);
    }
}
