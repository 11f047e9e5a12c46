package dev.alexnet.data;

import java.nio.file.Path;

/**
 * How Fashion-MNIST is read and batched: the twin of the book's {@code d2l.FashionMNIST(batch_size,
 * resize)}.
 *
 * @param dataDir where the four IDX files are, or {@code null} to search the usual places (see
 *     {@link FashionMnist#locate(Path)})
 * @param batchSize examples per batch; the last batch of an epoch may be smaller
 * @param resize height and width the 28×28 images are resized to (bilinear)
 * @param limit use only the first this many training examples, or {@code null} for all
 * @param valLimit use only the first this many validation examples, or {@code null} for all
 * @param seed seeds the shuffling and the augmentation of the training examples
 * @param augmentation what is done to training images ({@code null}: nothing)
 */
public record DataConfig(Path dataDir, int batchSize, int resize, Integer limit, Integer valLimit, long seed,
        Augmentation augmentation) {

    /** The book's batch size. */
    public static final int BOOK_BATCH_SIZE = 128;

    /** The book's input size: Fashion-MNIST upsampled to 224×224. */
    public static final int BOOK_RESIZE = 224;

    /** Checks every field, so that a bad configuration fails where it is made. */
    public DataConfig {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (resize < 1) {
            throw new IllegalArgumentException("resize must be positive, got " + resize);
        }
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        if (valLimit != null && valLimit < 1) {
            throw new IllegalArgumentException("validation limit must be positive, got " + valLimit);
        }
    }

    /** Reads and batches without augmentation. */
    public DataConfig(Path dataDir, int batchSize, int resize, Integer limit, Integer valLimit, long seed) {
        this(dataDir, batchSize, resize, limit, valLimit, seed, Augmentation.NONE);
    }

    /** Returns the augmentation, none when unset. */
    public Augmentation augmentationOrNone() {
        return augmentation == null ? Augmentation.NONE : augmentation;
    }

    /** The book's data: all examples, batch 128, resized to 224, searched for in the usual places. */
    public static DataConfig book() {
        return new DataConfig(null, BOOK_BATCH_SIZE, BOOK_RESIZE, null, null, 42);
    }

    /** Returns this configuration with another data directory. */
    public DataConfig withDataDir(Path dir) {
        return new DataConfig(dir, batchSize, resize, limit, valLimit, seed, augmentation);
    }

    /** Returns this configuration with another batch size. */
    public DataConfig withBatchSize(int size) {
        return new DataConfig(dataDir, size, resize, limit, valLimit, seed, augmentation);
    }
}
