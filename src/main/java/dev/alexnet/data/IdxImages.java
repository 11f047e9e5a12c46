package dev.alexnet.data;

/**
 * Images held as bytes: {@code count} images of {@code channels} planes of {@code rows}×{@code cols} bytes
 * (channel-major, then row-major), one after another — read from an IDX file (one grey channel) or decoded from
 * a folder of pictures.
 *
 * @param count how many images
 * @param rows the height of each image
 * @param cols the width of each image
 * @param pixels all pixels, image after image, 0 (background) to 255
 * @param channels the planes of each image: 1 (grey) or 3 (red, green, blue)
 * @param file where the pixels are when they are kept in a file instead ({@code pixels} then empty), or null
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels, int channels, PixelFile file) {

    /** Checks that the bytes hold the images. */
    public IdxImages {
        if (file != null) {
            if (pixels.length != 0 || file.count() != count) {
                throw new DataException("a file of " + file.count() + " images does not hold " + count);
            }
        } else if (channels < 1 || (long) count * channels * rows * cols != pixels.length) {
            throw new DataException(count + " images of " + channels + "x" + rows + "x" + cols + " need "
                    + (long) count * channels * rows * cols + " bytes, got " + pixels.length);
        }
    }

    /** Images held in memory. */
    public IdxImages(int count, int rows, int cols, byte[] pixels, int channels) {
        this(count, rows, cols, pixels, channels, null);
    }

    /** Grey images, one channel each, held in memory. */
    public IdxImages(int count, int rows, int cols, byte[] pixels) {
        this(count, rows, cols, pixels, 1, null);
    }

    /** Images kept in a file ({@link PixelFile}). */
    public static IdxImages inFile(int count, int rows, int cols, int channels, PixelFile file) {
        return new IdxImages(count, rows, cols, new byte[0], channels, file);
    }

    /**
     * Returns all pixels, image after image, when they are held in memory.
     *
     * @throws IllegalStateException when they are kept in a file: read them image by image ({@link #image})
     */
    @Override
    public byte[] pixels() {
        if (file != null) {
            throw new IllegalStateException("these " + count + " images are kept in a file; read them one by one");
        }
        return pixels;
    }

    /** Returns whether the images are kept in a file rather than in memory. */
    public boolean inFile() {
        return file != null;
    }

    /** Returns how many bytes the images take, in memory or in their file. */
    public long bytes() {
        return (long) count * imageBytes();
    }

    /** Returns a copy of image {@code index}'s bytes. */
    public byte[] image(int index) {
        byte[] out = new byte[imageBytes()];
        if (file != null) {
            file.copy(index, out);
        } else {
            System.arraycopy(pixels, index * imageBytes(), out, 0, out.length);
        }
        return out;
    }

    /** Copies image {@code index}'s bytes into {@code out} at its position, advancing it. */
    public void copyImage(int index, java.nio.ByteBuffer out) {
        if (file != null) {
            file.copy(index, out);
        } else {
            out.put(pixels, index * imageBytes(), imageBytes());
        }
    }

    /** Returns how many bytes one image takes. */
    public int imageBytes() {
        return channels * rows * cols;
    }

    /** Returns the first {@code n} images (all of them when there are fewer). */
    public IdxImages first(int n) {
        int kept = Math.min(n, count);
        if (file != null) {
            return inFile(kept, rows, cols, channels, file.first(kept));
        }
        byte[] copy = java.util.Arrays.copyOf(pixels, kept * imageBytes());
        return new IdxImages(kept, rows, cols, copy, channels);
    }
}
