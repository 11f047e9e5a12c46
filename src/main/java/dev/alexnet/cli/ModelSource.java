package dev.alexnet.cli;

import ai.djl.Device;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.run.RunDirectory;
import dev.alexnet.model.Classifier;
import dev.alexnet.weights.ShippedModel;
import dev.alexnet.weights.WeightsFile;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Where a trained model comes from: a run directory, or a weights file in the chapter's PyTorch naming. */
final class ModelSource {

    @Option(names = "--model-dir", paramLabel = "DIR", description = "A run directory written by 'alexnet train'.")
    Path modelDir;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Instead of --model-dir: a safetensors or NPZ file in the chapter's PyTorch naming "
                    + "(from 'alexnet export' or PyTorch). With neither: the shipped models/alexnet28-quick.safetensors.")
    Path weights;

    @Option(names = "--model", converter = Converters.ModelName.class, paramLabel = "NAME",
            description = "With --weights: the network (default: the file's metadata, else alexnet).")
    String model;

    @Option(names = "--resize", converter = Converters.InputSize.class, paramLabel = "N",
            description = "With --weights: input size (default: the file's metadata, else the network's own).")
    Integer resize;

    /** Refuses flag combinations that say two things; with neither, the shipped model is used. */
    void check(CommandSpec spec) {
        if (modelDir != null && weights != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give --model-dir DIR or --weights FILE, not both");
        }
        if (modelDir != null && (model != null || resize != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--model and --resize go with --weights; a run directory knows its network");
        }
        if (modelDir == null && weights == null) {
            weights = ShippedModel.path();
        }
    }

    /** Returns whether the model comes from a run directory. */
    boolean isRun() {
        return modelDir != null;
    }

    /** Returns the network and input size of a weights file (only with --weights). */
    ModelConfig weightsConfig() {
        return WeightsFile.configFor(weights, model, resize);
    }

    /** Builds the model with its trained parameters on {@code device}. */
    Classifier load(Device device) {
        return isRun() ? RunDirectory.loadModel(modelDir, device)
                : WeightsFile.loadModel(weights, weightsConfig(), device);
    }
}
