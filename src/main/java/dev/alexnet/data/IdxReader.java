package dev.alexnet.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX files that MNIST and Fashion-MNIST ship in, plain or gzip-compressed.
 *
 * <p>Every check names the file and what is wrong in one line: the magic number, the sizes in the
 * header, data shorter or longer than the header says, and labels outside the class range.
 */
public final class IdxReader {

    /** Magic number of an IDX file of unsigned bytes with three dimensions (images). */
    static final int IMAGES_MAGIC = 0x00000803;

    /** Magic number of an IDX file of unsigned bytes with one dimension (labels). */
    static final int LABELS_MAGIC = 0x00000801;

    private static final int GZIP_FIRST_BYTE = 0x1f;
    private static final int GZIP_SECOND_BYTE = 0x8b;

    private IdxReader() {}

    /** Reads an images file. */
    public static IdxImages readImages(Path file) {
        return readImages(file, null);
    }

    /**
     * Reads an images file, feeding its whole decompressed content to {@code digest} (when not
     * null) on the way, so that fingerprinting it costs no second pass.
     */
    public static IdxImages readImages(Path file, MessageDigest digest) {
        try (DataInputStream in = open(file, digest)) {
            int magic = readHeaderInt(in, file);
            checkMagic(file, magic, IMAGES_MAGIC, "images");
            int count = readHeaderInt(in, file);
            int rows = readHeaderInt(in, file);
            int cols = readHeaderInt(in, file);
            if (count < 0 || rows <= 0 || cols <= 0) {
                throw corrupt(file, "header claims " + count + " images of " + rows + "x" + cols + " pixels");
            }
            long size = (long) count * rows * cols;
            if (size > Integer.MAX_VALUE - 16) {
                throw corrupt(file, "header claims " + count + " images of " + rows + "x" + cols
                        + " pixels, more than fits in memory");
            }
            byte[] pixels = readExactly(in, file, (int) size, count + " images of " + rows + "x" + cols);
            checkEnd(in, file);
            return new IdxImages(count, rows, cols, pixels);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** Reads a labels file whose labels must all lie in {@code [0, numClasses)}. */
    public static byte[] readLabels(Path file, int numClasses) {
        return readLabels(file, numClasses, null);
    }

    /** Reads a labels file like {@link #readLabels(Path, int)}, feeding its decompressed content to {@code digest}. */
    public static byte[] readLabels(Path file, int numClasses, MessageDigest digest) {
        try (DataInputStream in = open(file, digest)) {
            int magic = readHeaderInt(in, file);
            checkMagic(file, magic, LABELS_MAGIC, "labels");
            int count = readHeaderInt(in, file);
            if (count < 0) {
                throw corrupt(file, "header claims " + count + " labels");
            }
            byte[] labels = readExactly(in, file, count, count + " labels");
            checkEnd(in, file);
            for (int i = 0; i < labels.length; i++) {
                int label = Byte.toUnsignedInt(labels[i]);
                if (label >= numClasses) {
                    throw corrupt(file, "label " + label + " at index " + i + " is outside 0.." + (numClasses - 1));
                }
            }
            return labels;
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static DataInputStream open(Path file, MessageDigest digest) throws IOException {
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": file not found");
        }
        raw.mark(2);
        int first = raw.read();
        int second = raw.read();
        raw.reset();
        if (first == GZIP_FIRST_BYTE && second == GZIP_SECOND_BYTE) {
            raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
        }
        // the readers go on to the end of the file (trailing bytes are refused), so the digest sees it all
        return new DataInputStream(digest == null ? raw : new DigestInputStream(raw, digest));
    }

    private static int readHeaderInt(DataInputStream in, Path file) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw corrupt(file, "truncated: the file ends inside its header");
        }
    }

    private static void checkMagic(Path file, int magic, int expected, String kind) {
        if (magic != expected) {
            throw corrupt(file, String.format(
                    "not an IDX %s file: magic number 0x%08x, expected 0x%08x", kind, magic, expected));
        }
    }

    private static byte[] readExactly(DataInputStream in, Path file, int size, String what) throws IOException {
        byte[] data = new byte[size];
        int read = in.readNBytes(data, 0, size);
        if (read < size) {
            throw corrupt(file, "truncated: header promises " + what + " (" + size + " bytes) but only "
                    + read + " bytes follow");
        }
        return data;
    }

    private static void checkEnd(DataInputStream in, Path file) throws IOException {
        if (in.read() != -1) {
            throw corrupt(file, "corrupt: extra bytes after the data the header describes");
        }
    }

    private static DataException corrupt(Path file, String what) {
        return new DataException(file + ": " + what);
    }

    private static DataException unreadable(Path file, IOException e) {
        if (e instanceof ZipException || e instanceof EOFException) {
            return new DataException(file + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
        }
        return new DataException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
}
