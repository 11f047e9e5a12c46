package dev.alexnet.cli;

import dev.alexnet.data.DataConfig;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.data.FolderWriter;
import dev.alexnet.train.RunConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code alexnet make-folder}: Fashion-MNIST written as a folder of pictures, the layout {@code --data folder:PATH} reads. */
@Command(name = "make-folder", mixinStandardHelpOptions = true,
        description = "Write Fashion-MNIST as a folder of pictures: OUT/train/<class>/*.png and OUT/val/<class>/*.png "
                + "(the test images), the layout 'train --data folder:OUT' reads; grey PNGs holding the exact bytes, or "
                + "with --colour each item painted in a colour and texture of its class, PNG and JPEG mixed.")
final class MakeFolderCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to make (must not exist).")
    Path out;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Fashion-MNIST's IDX files (default: the book's).")
    Path dataDir;

    @Option(names = "--limit", converter = Converters.PositiveInt.class, paramLabel = "N",
            description = "Write only the first N training images.")
    Integer limit;

    @Option(names = "--val-limit", converter = Converters.PositiveInt.class, paramLabel = "N",
            description = "Write only the first N test images.")
    Integer valLimit;

    @Option(names = "--classes", converter = Converters.PositiveInt.class, paramLabel = "N",
            description = "Keep only the first N classes, 2 to 10 (default: all ten).")
    Integer classes;

    @Option(names = "--colour", description = "Paint each item in its class's colour and texture; PNG and JPEG mixed.")
    boolean colour;

    @Option(names = "--size", converter = Converters.InputSize.class, paramLabel = "N",
            description = "Write the pictures at NxN, enlarged bilinearly (default: 28, Fashion-MNIST's own).")
    Integer size;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (java.nio.file.Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(out + " already exists; name a new folder");
        }
        DataConfig config = RunConfig.book().data().withDataDir(dataDir).withResize(FashionMnist.SIDE_PIXELS)
                .withLimit(limit).withValLimit(valLimit);
        try (FashionMnist data = FashionMnist.load(config)) {
            FolderWriter.Written written = FolderWriter.write(data, out, classes == null ? data.classNames().size()
                    : classes, colour, size == null ? FashionMnist.SIDE_PIXELS : size);
            spec.commandLine().getOut().printf("wrote %s: %d training and %d validation pictures in %d classes (%s)%n",
                    out, written.train(), written.validation(), written.classFolders().size(),
                    String.join(", ", written.classFolders()));
        }
        return 0;
    }
}
