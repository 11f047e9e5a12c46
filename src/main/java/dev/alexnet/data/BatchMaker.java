package dev.alexnet.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;
import java.nio.ByteBuffer;

/**
 * Turns examples of a split into one batch of engine arrays: images as float32 NCHW in [0, 1],
 * resized, and labels as int64.
 *
 * <p>The whole batch goes to the engine as one byte tensor and is scaled and resized there in one
 * call each, rather than image by image.
 */
public final class BatchMaker {

    // DJL's interpolation mode for bilinear; PyTorch then resizes with half-pixel centres
    // (align_corners=False), as torchvision's Resize does.
    private static final int BILINEAR = 1;

    private final int resize;

    /** Makes batches whose images are {@code resize}×{@code resize}. */
    public BatchMaker(int resize) {
        this.resize = resize;
    }

    /**
     * Makes the batch of {@code split}'s examples {@code order[from..to)}; its arrays live in a new
     * sub-manager of {@code parent} that closing the batch frees.
     */
    public Batch make(Split split, int[] order, int from, int to, NDManager parent, long progress, long total) {
        int size = to - from;
        IdxImages images = split.images();
        int imageBytes = images.imageBytes();
        ByteBuffer pixels = ByteBuffer.allocateDirect(size * imageBytes);
        long[] labels = new long[size];
        for (int i = 0; i < size; i++) {
            int example = order[from + i];
            pixels.put(images.pixels(), example * imageBytes, imageBytes);
            labels[i] = split.label(example);
        }
        pixels.flip();
        NDManager manager = parent.newSubManager();
        try {
            NDArray raw = manager.create(pixels, new Shape(size, 1, images.rows(), images.cols()), DataType.UINT8);
            NDArray x = resize(raw.toType(DataType.FLOAT32, false).div(255f));
            NDArray y = manager.create(labels);
            return new Batch(manager, new NDList(x), new NDList(y), size,
                    Batchifier.STACK, Batchifier.STACK, progress, total);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Resizes a float NCHW batch to this maker's size with bilinear interpolation. */
    public NDArray resize(NDArray images) {
        Shape shape = images.getShape();
        if (shape.get(2) == resize && shape.get(3) == resize) {
            return images;
        }
        return images.getNDArrayInternal().interpolation(new long[] {resize, resize}, BILINEAR, false);
    }
}
