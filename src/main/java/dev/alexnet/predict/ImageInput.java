package dev.alexnet.predict;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.alexnet.data.BatchMaker;
import dev.alexnet.data.ImageFolder;
import dev.alexnet.data.PictureDecoder;
import dev.alexnet.model.ModelConfig;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * Turns a picture file (PNG, JPEG, GIF, BMP; any size and colour) into a 28×28 image made the way
 * Fashion-MNIST's were: grayscale, a light product on a dark background, the longer side fitted to
 * 28 pixels and centred.
 *
 * <p>Photos usually show a dark product on a light background; {@link Invert#AUTO} inverts when the
 * picture's border is mostly light. The header's size is checked before any pixel is decoded, so
 * a file claiming enormous dimensions is refused without allocating them.
 */
public final class ImageInput {

    /** Fashion-MNIST's image side. */
    public static final int SIDE = 28;

    // Zalando trimmed edges within 5% of the maximum intensity of the corner colour.
    private static final float TRIM_DISTANCE = 0.05f;

    /** Pictures are decoded to about this many pixels on their longer side (never more than twice it). */
    public static final int DECODED_SIDE = 512;

    /** The largest picture decoded, in pixels (about 8000×6000). */
    public static final long MAX_PIXELS = PictureDecoder.MAX_PIXELS;

    /** Whether to turn dark-on-light pictures into Fashion-MNIST's light-on-dark. */
    public enum Invert {
        /** Invert when the border is mostly light. */
        AUTO,
        /** Always invert. */
        YES,
        /** Never invert. */
        NO
    }

    private ImageInput() {}

    /**
     * Reads {@code file} as a (1, 28, 28) float image in [0, 1] under {@code manager}.
     *
     * @throws IllegalArgumentException naming the file if it is missing, not an image, truncated,
     *     corrupt, or too large
     */
    public static NDArray load(Path file, NDManager manager, Invert invert) {
        return toTensor(decode(file), manager, invert);
    }

    /**
     * Reads {@code file} as the input of {@code model}, prepared as its {@link ModelConfig#preprocessing()} says:
     * a (1, 28, 28) image made like Fashion-MNIST's, or the picture's channels resized to the model's input.
     *
     * @throws IllegalArgumentException naming the file if it is missing, not an image, truncated,
     *     corrupt, or too large
     */
    public static NDArray load(Path file, NDManager manager, Invert invert, ModelConfig model) {
        if (model.fashionMnistStyle()) {
            return load(file, manager, invert);
        }
        return resized(PictureDecoder.decode(file, decodeSide(model)), manager, model);
    }

    /** Turns a decoded picture into the input of {@code model}, as {@link #load(Path, NDManager, Invert, ModelConfig)}. */
    public static NDArray toTensor(BufferedImage picture, NDManager manager, Invert invert, ModelConfig model) {
        return model.fashionMnistStyle() ? toTensor(picture, manager, invert) : resized(picture, manager, model);
    }

    /**
     * Returns a (channels, input, input) float image in [0, 1]: the picture's pixels prepared exactly as a folder's
     * pictures are for training ({@link ImageFolder#pictureBytes}), then resized as each training batch is.
     */
    private static NDArray resized(BufferedImage picture, NDManager manager, ModelConfig model) {
        ImageFolder.PictureBytes bytes = ImageFolder.pictureBytes(picture, model.channels(), model.inputSize());
        NDArray raw = manager.create(java.nio.ByteBuffer.wrap(bytes.pixels()),
                new ai.djl.ndarray.types.Shape(1, model.channels(), bytes.side(), bytes.side()), DataType.UINT8);
        NDArray scaled = raw.toType(DataType.FLOAT32, false).div(255f);
        return new BatchMaker(model.inputSize()).resize(scaled).squeeze(0);
    }

    /**
     * Turns a decoded picture into a (1, 28, 28) float image in [0, 1] under {@code manager}: gray,
     * light on dark (see {@code invert}), trimmed, fitted and centred.
     */
    public static NDArray toTensor(BufferedImage picture, NDManager manager, Invert invert) {
        NDArray gray = ImageFactory.getInstance().fromImage(onWhite(picture))
                .toNDArray(manager, Image.Flag.GRAYSCALE)
                .toType(DataType.FLOAT32, false)
                .div(255f);
        if (invert == Invert.YES || (invert == Invert.AUTO && borderMean(gray) > 0.5f)) {
            gray = gray.neg().add(1f);
        }
        return fit(trim(gray), manager).transpose(2, 0, 1);
    }

    /**
     * Reads the pixels, after checking the header's size, at most about {@link #DECODED_SIDE} pixels on the longer
     * side (see {@link PictureDecoder#decode(Path, int)}).
     */
    public static BufferedImage decode(Path file) {
        return PictureDecoder.decode(file, DECODED_SIDE);
    }

    /** Reads an encoded picture held in memory for {@code model}, subsampled as {@link #load(Path, NDManager, Invert, ModelConfig)} reads a file. */
    public static BufferedImage decode(byte[] encoded, String name, ModelConfig model) {
        return decode(encoded, name, model, Long.MAX_VALUE);
    }

    /** Reads an encoded picture for {@code model}, giving up once {@code System.nanoTime()} passes {@code deadline}. */
    public static BufferedImage decode(byte[] encoded, String name, ModelConfig model, long deadline) {
        return PictureDecoder.decode(encoded, name, decodeSide(model), deadline);
    }

    /** Returns the longer side pictures are decoded to for {@code model} (they are read subsampled to about it). */
    public static int decodeSide(ModelConfig model) {
        return model.fashionMnistStyle() ? DECODED_SIDE : ImageFolder.decodeSide(model.inputSize());
    }

    /** Reads an encoded picture held in memory (an upload), as {@link #decode(Path)} reads a file. */
    public static BufferedImage decode(byte[] encoded, String name) {
        return PictureDecoder.decode(encoded, name, DECODED_SIDE);
    }

    /** Paints the picture onto white, so transparent backgrounds count as light ones. */
    private static BufferedImage onWhite(BufferedImage picture) {
        BufferedImage rgb = new BufferedImage(picture.getWidth(), picture.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
            g.drawImage(picture, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }

    /** Returns the mean brightness of the outermost rows and columns of an (H, W, 1) image. */
    private static float borderMean(NDArray image) {
        NDArray top = image.get(new NDIndex("0, :, :"));
        NDArray bottom = image.get(new NDIndex("-1, :, :"));
        NDArray left = image.get(new NDIndex(":, 0, :"));
        NDArray right = image.get(new NDIndex(":, -1, :"));
        float sum = top.sum().getFloat() + bottom.sum().getFloat() + left.sum().getFloat() + right.sum().getFloat();
        return sum / (top.size() + bottom.size() + left.size() + right.size());
    }

    /**
     * Crops the edges whose pixels are within 5% of the corners' brightness, as Fashion-MNIST's
     * makers trimmed the background before fitting the product to the frame.
     */
    private static NDArray trim(NDArray image) {
        NDArray plane = image.squeeze(2);
        long height = plane.getShape().get(0);
        long width = plane.getShape().get(1);
        float corner = (plane.getFloat(0, 0) + plane.getFloat(0, width - 1) + plane.getFloat(height - 1, 0)
                + plane.getFloat(height - 1, width - 1)) / 4;
        NDArray foreground = plane.sub(corner).abs().gt(TRIM_DISTANCE);
        boolean[] rows = foreground.toType(DataType.INT32, false).max(new int[] {1})
                .toType(DataType.BOOLEAN, false).toBooleanArray();
        boolean[] columns = foreground.toType(DataType.INT32, false).max(new int[] {0})
                .toType(DataType.BOOLEAN, false).toBooleanArray();
        int top = first(rows);
        int left = first(columns);
        if (top < 0 || left < 0) {
            return image; // a blank picture: nothing to trim to
        }
        int bottom = last(rows);
        int right = last(columns);
        return image.get(new NDIndex("{}:{}, {}:{}, :", top, bottom + 1, left, right + 1));
    }

    private static int first(boolean[] flags) {
        for (int i = 0; i < flags.length; i++) {
            if (flags[i]) {
                return i;
            }
        }
        return -1;
    }

    private static int last(boolean[] flags) {
        for (int i = flags.length - 1; i >= 0; i--) {
            if (flags[i]) {
                return i;
            }
        }
        return -1;
    }

    /** Scales the longer side to 28 pixels (area averaging) and centres the result on black. */
    private static NDArray fit(NDArray image, NDManager manager) {
        long height = image.getShape().get(0);
        long width = image.getShape().get(1);
        double scale = (double) SIDE / Math.max(height, width);
        int newHeight = (int) Math.max(1, Math.min(SIDE, Math.round(height * scale)));
        int newWidth = (int) Math.max(1, Math.min(SIDE, Math.round(width * scale)));
        Image.Interpolation interpolation = scale < 1 ? Image.Interpolation.AREA : Image.Interpolation.BILINEAR;
        NDArray resized = NDImageUtils.resize(image, newWidth, newHeight, interpolation);
        NDArray canvas = manager.zeros(new ai.djl.ndarray.types.Shape(SIDE, SIDE, 1));
        int top = (SIDE - newHeight) / 2;
        int left = (SIDE - newWidth) / 2;
        canvas.set(new NDIndex("{}:{}, {}:{}, :", top, top + newHeight, left, left + newWidth), resized);
        return canvas;
    }
}
