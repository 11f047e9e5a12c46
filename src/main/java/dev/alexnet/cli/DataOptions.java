package dev.alexnet.cli;

import dev.alexnet.data.FashionMnist;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The flags that say where Fashion-MNIST is and how much of it to use. */
final class DataOptions {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory with the four Fashion-MNIST IDX files, plain or .gz "
                    + "(default: $" + FashionMnist.DIR_VARIABLE + ", else " + FashionMnist.DEBIAN_DIR_NAME + ").")
    Path dataDir;

    @Option(names = "--limit", converter = Converters.PositiveInt.class, paramLabel = "N",
            description = "Use only the first N training images.")
    Integer limit;

    @Option(names = "--val-limit", converter = Converters.PositiveInt.class, paramLabel = "N",
            description = "Use only the first N validation images.")
    Integer valLimit;

    @Option(names = "--augment", converter = Converters.AugmentationList.class, paramLabel = "flip,crop,color",
            description = "Augment training images: random horizontal flips, random crops (shifts of up to 2 pixels), "
                    + "brightness/contrast jitter; any subset (default: ${DEFAULT-VALUE}).")
    dev.alexnet.data.Augmentation augment;
}
