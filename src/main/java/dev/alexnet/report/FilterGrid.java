package dev.alexnet.report;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import dev.alexnet.model.Classifier;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * The kernels of a network's first convolution as a grid of small gray pictures, each stretched to
 * its own range, like the chapter's figure of AlexNet's first-layer filters.
 */
public final class FilterGrid {

    private static final int SCALE = 5;
    private static final int GAP = 3;

    private FilterGrid() {}

    /** Draws the first convolution's kernels of {@code model} (averaged over input channels if several). */
    public static BufferedImage draw(Classifier model) {
        NDArray weight = firstConvolution(model.block()).getParameters().get("weight").getArray();
        long kernels = weight.getShape().get(0);
        int height = (int) weight.getShape().get(2);
        int width = (int) weight.getShape().get(3);
        // (out, in, kh, kw) -> (out, kh·kw), each row scaled to [0, 1] by its own minimum and maximum
        NDArray flat = weight.mean(new int[] {1}).reshape(kernels, (long) height * width);
        NDArray low = flat.min(new int[] {1}, true);
        NDArray range = flat.max(new int[] {1}, true).sub(low).add(1e-12f);
        float[] values = flat.sub(low).div(range).toFloatArray();

        int columns = (int) Math.ceil(Math.sqrt(kernels * 1.5));
        int rows = (int) ((kernels + columns - 1) / columns);
        int cellWidth = width * SCALE + GAP;
        int cellHeight = height * SCALE + GAP;
        BufferedImage grid = new BufferedImage(columns * cellWidth + GAP, rows * cellHeight + GAP,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            for (int k = 0; k < kernels; k++) {
                int x0 = GAP + (k % columns) * cellWidth;
                int y0 = GAP + (k / columns) * cellHeight;
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        int gray = Math.round(values[k * height * width + y * width + x] * 255);
                        g.setColor(new Color(gray, gray, gray));
                        g.fillRect(x0 + x * SCALE, y0 + y * SCALE, SCALE, SCALE);
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return grid;
    }

    private static Block firstConvolution(Block block) {
        for (Block child : block.getChildren().values()) {
            if (child instanceof Convolution) {
                return child;
            }
            if (!child.getChildren().isEmpty()) {
                try {
                    return firstConvolution(child);
                } catch (IllegalArgumentException ignored) {
                    // no convolution in that branch
                }
            }
        }
        throw new IllegalArgumentException("the network has no convolution");
    }
}
