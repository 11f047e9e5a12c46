package dev.alexnet.cli;

import picocli.CommandLine.Option;

/** The flags that choose a network and its input size. */
final class ModelOptions {

    @Option(names = "--model", defaultValue = "alexnet", converter = Converters.ModelName.class, paramLabel = "NAME",
            description = "Network (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--resize", defaultValue = "224", converter = Converters.PositiveInt.class, paramLabel = "N",
            description = "Resize the 28x28 images to NxN, the network's input size (default: ${DEFAULT-VALUE}).")
    int resize;
}
