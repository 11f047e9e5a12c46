package dev.alexnet.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads picture files (PNG, JPEG, GIF, BMP) safely: the header's size is checked before any pixel is decoded, so a
 * file claiming enormous dimensions is refused without allocating them; a truncated or corrupt file is refused
 * naming it; a large picture is read subsampled, so memory stays small whatever size the limit admits.
 * Plain Java, safe to call from many threads.
 */
public final class PictureDecoder {

    /** The largest picture decoded, in pixels (about 8000×6000). */
    public static final long MAX_PIXELS = 50_000_000L;

    /** The formats read, by their ImageIO names. */
    private static final Set<String> READ_FORMATS = Set.of("png", "jpeg", "gif", "bmp");

    private PictureDecoder() {}

    /**
     * Reads the pixels, after checking the header's size against {@link #MAX_PIXELS}, subsampled to at most about
     * {@code side} pixels on the longer side (never fewer than {@code side}).
     *
     * @throws IllegalArgumentException naming the file if it is missing, not an image, truncated,
     *     corrupt, or too large
     */
    public static BufferedImage decode(Path file, int side) {
        requireFile(file);
        try (ImageInputStream stream = ImageIO.createImageInputStream(file.toFile())) {
            return decode(stream, file.toString(), side, Long.MAX_VALUE);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": file not found");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": truncated or corrupt image (" + reason(e) + ")", e);
        }
    }

    /**
     * Reads the pixels of an encoded picture held in memory (an upload), as {@link #decode(Path, int)}
     * reads a file; {@code name} names it in errors.
     *
     * @throws IllegalArgumentException naming it if it is not an image, truncated, corrupt, or too large
     */
    public static BufferedImage decode(byte[] encoded, String name, int side) {
        return decode(encoded, name, side, Long.MAX_VALUE);
    }

    /**
     * Reads an encoded picture held in memory as {@link #decode(byte[], String, int)} does, giving up once
     * {@code System.nanoTime()} passes {@code deadline} ({@link Long#MAX_VALUE}: never).
     *
     * @throws TooSlow when the deadline passed before the picture was read
     */
    public static BufferedImage decode(byte[] encoded, String name, int side, long deadline) {
        // in memory: ImageIO's own stream for a byte array would copy it to a temporary file
        try (ImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            return decode(stream, name, side, deadline);
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": truncated or corrupt image (" + reason(e) + ")", e);
        }
    }

    private static BufferedImage decode(ImageInputStream stream, String name, int side, long deadline) {
        ImageReader reader = reader(stream, name);
        Deadline watch = new Deadline(deadline);
        try {
            reader.setInput(stream, true, true);
            long width = reader.getWidth(0);
            long height = reader.getHeight(0);
            checkSize(name, width, height);
            // A truncated JPEG decodes with a warning and gray pixels; such a file is refused.
            reader.addIIOReadWarningListener((source, warning) -> {
                throw new IllegalArgumentException(name + ": truncated or corrupt image (" + warning + ")");
            });
            // A large picture is read every k-th pixel of every k-th row, so memory stays small whatever
            // the size the limit admits.
            ImageReadParam param = reader.getDefaultReadParam();
            int step = (int) Math.max(1, Math.max(width, height) / side);
            param.setSourceSubsampling(step, step, 0, 0);
            if (deadline != Long.MAX_VALUE) {
                watch.check(name);
                reader.addIIOReadProgressListener(watch);
            }
            BufferedImage picture = reader.read(0, param);
            if (watch.aborted) {
                throw new TooSlow(name + ": took too long to decode");
            }
            return picture;
        } catch (IOException | RuntimeException e) {
            throw refusal(e, name, "truncated or corrupt image");
        } finally {
            reader.dispose();
        }
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + (Files.exists(file) ? ": not a file" : ": file not found"));
        }
    }

    /** A picture that did not decode before its deadline. */
    public static final class TooSlow extends IllegalArgumentException {
        TooSlow(String message) {
            super(message);
        }
    }

    /** Asks the reader to stop at its next progress report once the deadline has passed. */
    private static final class Deadline implements javax.imageio.event.IIOReadProgressListener {
        private final long deadline;
        private volatile boolean aborted;

        Deadline(long deadline) {
            this.deadline = deadline;
        }

        void check(String name) {
            if (System.nanoTime() - deadline > 0) {
                throw new TooSlow(name + ": took too long to decode");
            }
        }

        @Override
        public void imageProgress(ImageReader source, float percentageDone) {
            if (System.nanoTime() - deadline > 0) {
                source.abort();
            }
        }

        @Override
        public void readAborted(ImageReader source) {
            aborted = true;
        }

        @Override
        public void sequenceStarted(ImageReader source, int minIndex) { }

        @Override
        public void sequenceComplete(ImageReader source) { }

        @Override
        public void imageStarted(ImageReader source, int imageIndex) { }

        @Override
        public void imageComplete(ImageReader source) { }

        @Override
        public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) { }

        @Override
        public void thumbnailProgress(ImageReader source, float percentageDone) { }

        @Override
        public void thumbnailComplete(ImageReader source) { }
    }

    /** Returns the one-line refusal for what reading {@code name} threw: our own refusals as they are. */
    private static IllegalArgumentException refusal(Exception e, String name, String what) {
        if (e instanceof TooSlow slow) {
            return slow;
        }
        if (e instanceof IllegalArgumentException refused && e.getMessage() != null && e.getMessage().startsWith(name)) {
            return refused;
        }
        return new IllegalArgumentException(name + ": " + what + " (" + reason(e) + ")", e);
    }

    /** Says what went wrong: the exception's message, or its kind when it has none (as the BMP reader's may). */
    private static String reason(Exception e) {
        return e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** Returns a reader of one of the four formats for {@code stream}, refusing anything else. */
    private static ImageReader reader(ImageInputStream stream, String name) {
        if (stream == null) {
            throw new IllegalArgumentException(name + ": cannot be read");
        }
        ImageReader reader = null;
        for (Iterator<ImageReader> readers = ImageIO.getImageReaders(stream); readers.hasNext() && reader == null; ) {
            ImageReader candidate = readers.next();
            // only the four formats whose readers honour subsampling without holding the whole picture
            // (the JDK's TIFF reader, for one, decodes a whole strip first)
            if (isReadFormat(candidate)) {
                reader = candidate;
            } else {
                candidate.dispose();
            }
        }
        if (reader == null) {
            throw new IllegalArgumentException(name + ": not an image this program reads (PNG, JPEG, GIF, BMP)");
        }
        return reader;
    }

    private static void checkSize(String name, long width, long height) {
        if (width < 1 || height < 1 || width * height > MAX_PIXELS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s: claims %dx%d pixels, more than the %d-megapixel limit", name, width, height,
                    MAX_PIXELS / 1_000_000));
        }
    }

    private static boolean isReadFormat(ImageReader reader) {
        try {
            return READ_FORMATS.contains(reader.getFormatName().toLowerCase(Locale.ROOT));
        } catch (IOException e) {
            return false;
        }
    }


    /**
     * A picture's size and colour, read from its header.
     *
     * @param width its width in pixels
     * @param height its height in pixels
     * @param grey whether it is grey (a grey colour space, or a palette of greys)
     * @param progressive whether it is a progressive JPEG, which holds its whole picture while decoded
     */
    public record Header(int width, int height, boolean grey, boolean progressive) {

        /** A header of a picture that is not a progressive JPEG. */
        public Header(int width, int height, boolean grey) {
            this(width, height, grey, false);
        }

        /**
         * Returns about how many bytes decoding the picture holds at once when read for an input of {@code side}:
         * a progressive JPEG keeps every coefficient of the whole picture (two bytes a sample) whatever is read of
         * it; other pictures are read subsampled to about {@code side} pixels on their longer side.
         */
        public long decodingBytes(int side) {
            if (progressive) {
                return (long) width * height * 3 * 2;
            }
            long step = Math.max(1, Math.max(width, height) / side);
            return (width / step + 1) * (height / step + 1) * 4L + (long) width * 4;
        }
    }

    /**
     * Reads a picture's header: its size (checked against {@link #MAX_PIXELS}) and whether it is grey.
     *
     * @throws IllegalArgumentException naming the file if it is missing, not a picture this program reads, or
     *     claims too many pixels
     */
    public static Header header(Path file) {
        requireFile(file);
        try (ImageInputStream stream = ImageIO.createImageInputStream(file.toFile())) {
            return header(stream, file.toString(), false);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read (" + reason(e) + ")", e);
        }
    }

    private static Header header(ImageInputStream stream, String name, boolean progressive) {
        try {
            ImageReader reader = reader(stream, name);
            try {
                reader.setInput(stream, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                checkSize(name, width, height);
                javax.imageio.ImageTypeSpecifier type = reader.getRawImageType(0);
                return new Header(width, height, type != null && isGrey(type.getColorModel()), progressive);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw refusal(e, name, "cannot be read");
        }
    }

    private static boolean isGrey(java.awt.image.ColorModel model) {
        if (model instanceof java.awt.image.IndexColorModel palette) {
            for (int i = 0; i < palette.getMapSize(); i++) {
                if (palette.getRed(i) != palette.getGreen(i) || palette.getGreen(i) != palette.getBlue(i)) {
                    return false;
                }
            }
            return true;
        }
        return model.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY;
    }

    /**
     * Returns a decoded picture's pixels as {@code channels} planes of bytes (channel-major, then row-major): grey
     * samples as stored (16-bit ones scaled to 8), colour as sRGB with any alpha dropped (as PIL's
     * {@code convert("RGB")}), colour to grey by ITU-R 601 luma (as PIL's {@code convert("L")}), grey to colour by
     * repeating it.
     */
    public static byte[] planes(BufferedImage picture, int channels) {
        int width = picture.getWidth();
        int height = picture.getHeight();
        int plane = width * height;
        byte[] out = new byte[channels * plane];
        java.awt.image.Raster raster = picture.getRaster();
        if (isGrey(picture.getColorModel()) && !(picture.getColorModel() instanceof java.awt.image.IndexColorModel)) {
            // the samples themselves: Java's conversion of a grey picture to RGB would change them
            int bits = picture.getColorModel().getComponentSize(0);
            int[] row = new int[width];
            for (int y = 0; y < height; y++) {
                raster.getSamples(0, y, width, 1, 0, row);
                for (int x = 0; x < width; x++) {
                    int v = bits == 8 ? row[x] : bits > 8 ? (int) ((row[x] * 255L + ((1L << bits) - 1) / 2)
                            / ((1L << bits) - 1)) : row[x] * 255 / ((1 << bits) - 1);
                    for (int c = 0; c < channels; c++) {
                        out[c * plane + y * width + x] = (byte) v;
                    }
                }
            }
            return out;
        }
        int[] argb = picture.getRGB(0, 0, width, height, null, 0, width);
        for (int i = 0; i < plane; i++) {
            int r = (argb[i] >> 16) & 0xff;
            int g = (argb[i] >> 8) & 0xff;
            int b = argb[i] & 0xff;
            if (channels == 1) {
                out[i] = (byte) ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
            } else {
                out[i] = (byte) r;
                out[plane + i] = (byte) g;
                out[2 * plane + i] = (byte) b;
            }
        }
        return out;
    }

    /**
     * Reads the header of an encoded picture held in memory (an upload), as {@link #header(Path)} reads a file's.
     *
     * @throws IllegalArgumentException naming it if it is not a picture this program reads or claims too many pixels
     */
    public static Header header(byte[] encoded, String name) {
        try (ImageInputStream stream = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
            return header(stream, name, isProgressiveJpeg(encoded));
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": cannot be read (" + reason(e) + ")", e);
        }
    }

    /** Returns whether the bytes are a JPEG whose frame is progressive (SOF2, SOF6, SOF10 or SOF14). */
    static boolean isProgressiveJpeg(byte[] bytes) {
        if (bytes.length < 4 || (bytes[0] & 0xff) != 0xff || (bytes[1] & 0xff) != 0xd8) {
            return false;
        }
        int at = 2;
        while (at + 4 <= bytes.length) {
            if ((bytes[at] & 0xff) != 0xff) {
                return false;
            }
            int marker = bytes[at + 1] & 0xff;
            if (marker == 0xff) {
                at++; // a fill byte
                continue;
            }
            if (marker == 0xc2 || marker == 0xc6 || marker == 0xca || marker == 0xce) {
                return true;
            }
            if ((marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
                    || marker == 0xda || marker == 0xd9) {
                return false; // another kind of frame, or the scan or the end before any frame header
            }
            at += 2 + (((bytes[at + 2] & 0xff) << 8) | (bytes[at + 3] & 0xff));
        }
        return false;
    }
}
