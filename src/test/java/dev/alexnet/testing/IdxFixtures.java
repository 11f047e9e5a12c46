package dev.alexnet.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files and fake Fashion-MNIST directories for tests. */
public final class IdxFixtures {

    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxFixtures() {}

    /** Returns the bytes of an images file with the given header and pixels. */
    public static byte[] imagesBytes(int magic, int count, int rows, int cols, byte[] pixels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            out.writeInt(count);
            out.writeInt(rows);
            out.writeInt(cols);
            out.write(pixels);
        }
        return bytes.toByteArray();
    }

    /** Returns the bytes of a labels file with the given header and labels. */
    public static byte[] labelsBytes(int magic, int count, byte[] labels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            out.writeInt(count);
            out.write(labels);
        }
        return bytes.toByteArray();
    }

    /** Writes {@code data} to {@code file}, gzip-compressed when {@code gzip}. */
    public static Path write(Path file, byte[] data, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(data);
        }
        return file;
    }

    /**
     * Writes a fake Fashion-MNIST (28×28) with {@code train} and {@code test} examples into
     * {@code dir}; example i has label i % 10 and all its pixels equal to (i * 7) % 256.
     */
    public static Path fakeFashionMnist(Path dir, int train, int test, boolean gzip) throws IOException {
        writeSplit(dir, "train", train, gzip);
        writeSplit(dir, "t10k", test, gzip);
        return dir;
    }

    /**
     * Writes a fake Fashion-MNIST that a network can learn quickly: example i has label c = i % 10
     * and is dark but for a bright 10×10 square whose place depends on c.
     */
    public static Path patternFashionMnist(Path dir, int train, int test) throws IOException {
        writeSplit(dir, "train", train, false, patterns(train));
        writeSplit(dir, "t10k", test, false, patterns(test));
        return dir;
    }

    private static byte[] patterns(int count) {
        byte[] pixels = new byte[count * 784];
        for (int i = 0; i < count; i++) {
            int label = i % 10;
            int top = (label / 4) * 9;
            int left = (label % 4) * 6;
            for (int r = top; r < top + 10; r++) {
                java.util.Arrays.fill(pixels, i * 784 + r * 28 + left, i * 784 + r * 28 + left + 10, (byte) 255);
            }
        }
        return pixels;
    }

    private static void writeSplit(Path dir, String prefix, int count, boolean gzip) throws IOException {
        byte[] pixels = new byte[count * 28 * 28];
        for (int i = 0; i < count; i++) {
            java.util.Arrays.fill(pixels, i * 784, (i + 1) * 784, (byte) ((i * 7) % 256));
        }
        writeSplit(dir, prefix, count, gzip, pixels);
    }

    private static void writeSplit(Path dir, String prefix, int count, boolean gzip, byte[] pixels) throws IOException {
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % 10);
        }
        String suffix = gzip ? ".gz" : "";
        write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix), imagesBytes(IMAGES_MAGIC, count, 28, 28, pixels), gzip);
        write(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), labelsBytes(LABELS_MAGIC, count, labels), gzip);
    }

    /** Returns {@code n} seeded random bytes. */
    public static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
