package dev.alexnet.cli;

import dev.alexnet.data.FashionMnist;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The flags that say what data to read (Fashion-MNIST or a folder of pictures) and how much of it to use. */
final class DataOptions {

    @Option(names = "--data", converter = Converters.DataSource.class, paramLabel = "fashion-mnist|folder:PATH",
            description = "What to train on: Fashion-MNIST (default), or a folder of pictures with one sub-folder per "
                    + "class (PATH/<class>/*.png|jpg|jpeg|bmp|gif, or PATH/train/<class>/... and PATH/val/<class>/...).")
    String source;

    @Option(names = "--channels", converter = Converters.Channels.class, paramLabel = "1|3",
            description = "With --data folder:PATH: read the pictures grey (1) or RGB (3) (default: RGB when any "
                    + "picture is in colour).")
    Integer channels;


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
