package dev.alexnet.cli;

import dev.alexnet.data.FashionMnist;
import dev.alexnet.model.ModelConfig;
import picocli.CommandLine.Option;

/** The flags that choose a network and its input size. */
final class ModelOptions {

    @Option(names = "--model", converter = Converters.ModelName.class, completionCandidates = Converters.NetworkNames.class,
            paramLabel = "NAME", description = "Network: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--resize", converter = Converters.InputSize.class, paramLabel = "N",
            description = "Resize the 28x28 images to NxN, the network's input size (default: the network's own, "
                    + "as 'summary --model NAME' shows).")
    Integer resize;

    /** Returns the network for Fashion-MNIST's classes at the input size. */
    ModelConfig config() {
        return FashionMnist.network(model, inputSize());
    }

    /** Returns the input size: the flag's, else the network's natural one. */
    int inputSize() {
        return resize != null ? resize : dev.alexnet.model.Networks.naturalInputSize(model);
    }
}
