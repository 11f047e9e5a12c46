package dev.alexnet.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Writes labelled images as a folder of pictures in the layout {@link ImageFolder} reads:
 * {@code OUT/train/<class>/<index>.png} and {@code OUT/val/<class>/<index>.png}, the index being the example's
 * position in its split. Class folders are named {@code <label>-<name>} so that their sorted order is the label
 * order ({@code 0-T-shirt-top}, {@code 1-Trouser}, …).
 *
 * <p>Grey images are written as 8-bit grey PNGs holding the bytes exactly. In colour, each image is painted in
 * its class's colour with a class's texture, and every other one is written as a JPEG: a small RGB dataset whose
 * classes differ in colour and texture as well as in shape.
 */
public final class FolderWriter {

    // one hue per class, far apart on the colour wheel
    private static final float[] HUES = {0.00f, 0.33f, 0.66f, 0.15f, 0.50f, 0.83f, 0.08f, 0.41f, 0.75f, 0.58f};

    private FolderWriter() {}

    /** What was written: how many pictures in each split, and the class folders' names. */
    public record Written(int train, int validation, List<String> classFolders) {}

    /**
     * Writes the splits of {@code data} under {@code out} (which must not exist), keeping the first {@code classes}
     * classes; grey PNGs, or painted pictures in colour, PNG and JPEG mixed.
     */
    public static Written write(DataModule data, Path out, int classes, boolean colour) {
        return write(data, out, classes, colour, data.train().images().cols());
    }

    /** As {@link #write(DataModule, Path, int, boolean)}, each picture enlarged (bilinearly) to {@code size}². */
    public static Written write(DataModule data, Path out, int classes, boolean colour, int size) {
        if (Files.exists(out)) {
            throw new IllegalArgumentException(out + " already exists; name a new folder");
        }
        if (classes < 2 || classes > data.classNames().size()) {
            throw new IllegalArgumentException("classes must be 2 to " + data.classNames().size() + ", got " + classes);
        }
        List<String> folders = new ArrayList<>();
        for (int label = 0; label < classes; label++) {
            folders.add(label + "-" + data.classNames().get(label).replaceAll("[^A-Za-z0-9]+", "-"));
        }
        int train = writeSplit(data.train(), out.resolve(ImageFolder.TRAIN_DIR), folders, colour, size);
        int validation = writeSplit(data.validation(), out.resolve(ImageFolder.VAL_DIR), folders, colour, size);
        return new Written(train, validation, folders);
    }

    private static int writeSplit(Split split, Path dir, List<String> folders, boolean colour, int size) {
        try {
            for (String folder : folders) {
                Files.createDirectories(dir.resolve(folder));
            }
            int written = 0;
            for (int i = 0; i < split.size(); i++) {
                int label = split.label(i);
                if (label >= folders.size()) {
                    continue;
                }
                BufferedImage picture = scaled(colour ? painted(split.images(), i, label) : grey(split.images(), i), size);
                String format = colour && i % 2 == 1 ? "jpg" : "png";
                Path file = dir.resolve(folders.get(label)).resolve(String.format(Locale.ROOT, "%05d.%s", i, format));
                if (!ImageIO.write(picture, format.equals("jpg") ? "jpeg" : "png", file.toFile())) {
                    throw new IllegalStateException("no ImageIO writer for " + format);
                }
                written++;
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Returns the picture at {@code size}×{@code size}, drawn bilinearly; the picture itself at its own size. */
    private static BufferedImage scaled(BufferedImage picture, int size) {
        if (picture.getWidth() == size && picture.getHeight() == size) {
            return picture;
        }
        BufferedImage scaled = new BufferedImage(size, size, picture.getType());
        java.awt.Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION,
                    java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(picture, 0, 0, size, size, null);
        } finally {
            g.dispose();
        }
        return scaled;
    }

    /** Returns image {@code index} as an 8-bit grey picture holding its bytes. */
    private static BufferedImage grey(IdxImages images, int index) {
        BufferedImage picture = new BufferedImage(images.cols(), images.rows(), BufferedImage.TYPE_BYTE_GRAY);
        int[] row = new int[images.cols()];
        int base = index * images.imageBytes();
        for (int y = 0; y < images.rows(); y++) {
            for (int x = 0; x < images.cols(); x++) {
                row[x] = Byte.toUnsignedInt(images.pixels()[base + y * images.cols() + x]);
            }
            picture.getRaster().setSamples(0, y, images.cols(), 1, 0, row);
        }
        return picture;
    }

    /**
     * Returns image {@code index} painted in its class's hue, the brightness of each pixel its grey value, with
     * stripes whose spacing depends on the class, on a dark background.
     */
    private static BufferedImage painted(IdxImages images, int index, int label) {
        BufferedImage picture = new BufferedImage(images.cols(), images.rows(), BufferedImage.TYPE_INT_RGB);
        int base = index * images.imageBytes();
        int spacing = 2 + label % 4;
        for (int y = 0; y < images.rows(); y++) {
            for (int x = 0; x < images.cols(); x++) {
                float value = Byte.toUnsignedInt(images.pixels()[base + y * images.cols() + x]) / 255f;
                float stripe = ((x + y) / spacing) % 2 == 0 ? 1f : 0.6f;
                picture.setRGB(x, y, java.awt.Color.HSBtoRGB(HUES[label % HUES.length], 0.8f, value * stripe));
            }
        }
        return picture;
    }
}
