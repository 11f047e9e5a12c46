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
 * call each, rather than image by image. Making a batch is two halves: {@link #gather} in plain Java
 * (a background thread can do it while the engine trains) and {@link #finish} on the engine, done by
 * the thread that trains, between its steps: on two cores, engine work on a second thread took the
 * training step's threads from it (the pipeline ran at 0.90 of the engine alone).
 */
public final class BatchMaker {

    // DJL's interpolation mode for bilinear; PyTorch then resizes with half-pixel centres
    // (align_corners=False), as torchvision's Resize does.
    private static final int BILINEAR = 1;

    private final int resize;

    // The gathered bytes go to the engine through direct buffers, which Java frees only when the heap is collected:
    // a batch of 128 pictures at 3x224x224 is 19 MB, so fresh buffers would pile up between collections. A few
    // are reused instead (one being gathered, one waiting, one being finished).
    private final java.util.concurrent.ConcurrentLinkedQueue<ByteBuffer> spare =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private static final int SPARE_BUFFERS = 3;

    /** Makes batches whose images are {@code resize}×{@code resize}. */
    public BatchMaker(int resize) {
        this.resize = resize;
    }

    /**
     * Makes the batch of {@code split}'s examples {@code order[from..to)}; its arrays live in a new
     * sub-manager of {@code parent} that closing the batch frees.
     */
    public Batch make(Split split, int[] order, int from, int to, NDManager parent, long progress, long total) {
        return make(split, order, from, to, parent, progress, total, Augmentation.NONE, 0);
    }

    /**
     * Like {@link #make(Split, int[], int, int, NDManager, long, long)}, augmenting the images with
     * random draws from a generator seeded by {@code seed}.
     */
    public Batch make(Split split, int[] order, int from, int to, NDManager parent, long progress, long total,
            Augmentation augmentation, long seed) {
        return finish(gather(split, order, from, to, augmentation, seed), parent, progress, total);
    }

    /**
     * The bytes and labels of a batch, gathered (and flipped or shifted) in Java, with the draws of
     * its colour jitter: everything up to the engine.
     *
     * @param pixels the images' bytes, NCHW, ready to read
     * @param shape the batch's shape at the natural size
     * @param labels the labels
     * @param contrast each image's contrast factor, or {@code null} without colour jitter
     * @param brightness each image's brightness shift, or {@code null} without colour jitter
     */
    public record Gathered(ByteBuffer pixels, Shape shape, long[] labels, float[] contrast, float[] brightness) {}

    /**
     * Gathers the examples {@code order[from..to)} of {@code split}: plain Java, no engine call, so
     * that a background thread can do it without taking the engine's threads from a training step.
     */
    public Gathered gather(Split split, int[] order, int from, int to, Augmentation augmentation, long seed) {
        int size = to - from;
        IdxImages images = split.images();
        int imageBytes = images.imageBytes();
        ByteBuffer pixels = buffer(size * imageBytes);
        long[] labels = new long[size];
        java.util.Random random = new java.util.Random(seed);
        byte[] shifted = new byte[imageBytes];
        for (int i = 0; i < size; i++) {
            int example = order[from + i];
            if (augmentation.flip() || augmentation.crop()) {
                // Flips and shifts only move bytes, so they are done while the batch is copied anyway.
                boolean flip = augmentation.flip() && random.nextBoolean();
                int dx = augmentation.crop() ? random.nextInt(2 * Augmentation.CROP_PADDING + 1) - Augmentation.CROP_PADDING : 0;
                int dy = augmentation.crop() ? random.nextInt(2 * Augmentation.CROP_PADDING + 1) - Augmentation.CROP_PADDING : 0;
                moveImage(images, example, flip, dx, dy, shifted);
                pixels.put(shifted);
            } else {
                images.copyImage(example, pixels);
            }
            labels[i] = split.label(example);
        }
        pixels.flip();
        float[] contrast = null;
        float[] brightness = null;
        if (augmentation.color()) {
            contrast = new float[size];
            brightness = new float[size];
            for (int i = 0; i < size; i++) {
                contrast[i] = 0.8f + 0.4f * random.nextFloat();
                brightness[i] = -0.1f + 0.2f * random.nextFloat();
            }
        }
        return new Gathered(pixels, new Shape(size, images.channels(), images.rows(), images.cols()), labels, contrast,
                brightness);
    }

    /**
     * Makes the batch of {@code gathered} on the engine: scaled to [0, 1], jittered, resized. Its
     * arrays live in a new sub-manager of {@code parent} that closing the batch frees.
     */
    public Batch finish(Gathered gathered, NDManager parent, long progress, long total) {
        NDManager manager = parent.newSubManager();
        try {
            NDArray raw = manager.create(gathered.pixels(), gathered.shape(), DataType.UINT8);
            NDArray scaled = raw.toType(DataType.FLOAT32, false).div(255f);
            // the bytes are in the engine's float copy now (computed eagerly): the buffer can be gathered into again
            release(gathered.pixels());
            if (gathered.contrast() != null) {
                scaled = jitter(scaled, gathered.contrast(), gathered.brightness(), manager);
            }
            NDArray x = resize(scaled);
            NDArray y = manager.create(gathered.labels());
            return new Batch(manager, new NDList(x), new NDList(y), gathered.labels().length,
                    Batchifier.STACK, Batchifier.STACK, progress, total);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Returns a direct buffer of {@code bytes} bytes, positioned at 0: a spare one when one is large enough. */
    private ByteBuffer buffer(int bytes) {
        for (ByteBuffer candidate = spare.poll(); candidate != null; candidate = spare.poll()) {
            if (candidate.capacity() >= bytes) {
                candidate.clear().limit(bytes);
                return candidate;
            }
        }
        return ByteBuffer.allocateDirect(bytes).order(java.nio.ByteOrder.nativeOrder());
    }

    private void release(ByteBuffer buffer) {
        if (spare.size() < SPARE_BUFFERS) {
            spare.offer(buffer);
        }
    }

    /**
     * Writes image {@code example}, flipped and shifted by ({@code dx}, {@code dy}) with zeros where
     * the shift uncovers the border, into {@code out}.
     */
    private static void moveImage(IdxImages images, int example, boolean flip, int dx, int dy, byte[] out) {
        int rows = images.rows();
        int cols = images.cols();
        int plane = rows * cols;
        byte[] source = images.image(example);
        java.util.Arrays.fill(out, (byte) 0);
        for (int channel = 0; channel < images.channels(); channel++) {
            int base = channel * plane;
            for (int r = 0; r < rows; r++) {
                int sourceRow = r - dy;
                if (sourceRow < 0 || sourceRow >= rows) {
                    continue;
                }
                for (int c = 0; c < cols; c++) {
                    int sourceCol = (flip ? cols - 1 - c : c) - dx;
                    if (sourceCol >= 0 && sourceCol < cols) {
                        out[channel * plane + r * cols + c] = source[base + sourceRow * cols + sourceCol];
                    }
                }
            }
        }
    }

    /** Scales each image's contrast around its mean by its factor and shifts its brightness, on the engine. */
    private static NDArray jitter(NDArray images, float[] contrast, float[] brightness, NDManager manager) {
        int n = (int) images.getShape().get(0);
        Shape perImage = new Shape(n, 1, 1, 1);
        NDArray mean = images.reshape(n, -1).mean(new int[] {1}).reshape(perImage);
        return images.sub(mean).mul(manager.create(contrast, perImage)).add(mean)
                .add(manager.create(brightness, perImage)).clip(0f, 1f);
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
