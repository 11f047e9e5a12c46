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
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels, int channels) {

    /** Checks that the bytes hold the images. */
    public IdxImages {
        if (channels < 1 || (long) count * channels * rows * cols != pixels.length) {
            throw new DataException(count + " images of " + channels + "x" + rows + "x" + cols + " need "
                    + (long) count * channels * rows * cols + " bytes, got " + pixels.length);
        }
    }

    /** Grey images, one channel each. */
    public IdxImages(int count, int rows, int cols, byte[] pixels) {
        this(count, rows, cols, pixels, 1);
    }

    /** Returns how many bytes one image takes. */
    public int imageBytes() {
        return channels * rows * cols;
    }

    /** Returns the first {@code n} images (all of them when there are fewer). */
    public IdxImages first(int n) {
        int kept = Math.min(n, count);
        byte[] copy = java.util.Arrays.copyOf(pixels, kept * imageBytes());
        return new IdxImages(kept, rows, cols, copy, channels);
    }
}
