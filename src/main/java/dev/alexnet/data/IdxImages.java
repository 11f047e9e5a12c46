package dev.alexnet.data;

/**
 * Grayscale images read from an IDX file: {@code count} images of {@code rows}×{@code cols} bytes,
 * row-major, one after another.
 *
 * @param count how many images
 * @param rows the height of each image
 * @param cols the width of each image
 * @param pixels all pixels, image after image, 0 (background) to 255
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {

    /** Returns how many bytes one image takes. */
    public int imageBytes() {
        return rows * cols;
    }

    /** Returns the first {@code n} images (all of them when there are fewer). */
    public IdxImages first(int n) {
        int kept = Math.min(n, count);
        byte[] copy = java.util.Arrays.copyOf(pixels, kept * imageBytes());
        return new IdxImages(kept, rows, cols, copy);
    }
}
