package dev.alexnet.data;

import java.nio.file.Path;

/**
 * How Fashion-MNIST is read and batched: the twin of the book's {@code d2l.FashionMNIST(batch_size,
 * resize)}. The order of the training examples is the trainer's to seed.
 *
 * @param dataDir where the four IDX files are, or {@code null} to search the usual places (see
 *     {@link FashionMnist#locate(Path)})
 * @param batchSize examples per batch; the last batch of an epoch may be smaller
 * @param resize height and width the 28×28 images are resized to (bilinear)
 * @param limit use only the first this many training examples, or {@code null} for all
 * @param valLimit use only the first this many validation examples, or {@code null} for all
 * @param augmentation what is done to training images
 */
public record DataConfig(Path dataDir, int batchSize, int resize, Integer limit, Integer valLimit,
        Augmentation augmentation) {

    /** The largest batch: more than the whole training set, and still a size whose arithmetic fits an int. */
    public static final int MAX_BATCH_SIZE = 65_536;

    /** Checks every field, so that a bad configuration fails where it is made. */
    public DataConfig {
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batch size must be 1 to " + MAX_BATCH_SIZE + ", got " + batchSize);
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
        if (augmentation == null) {
            throw new IllegalArgumentException("augmentation is required (Augmentation.NONE for none)");
        }
    }

    /** Reads all examples from the usual places, {@code batchSize} at a time, resized to {@code resize}, unaugmented. */
    public static DataConfig of(int batchSize, int resize) {
        return new DataConfig(null, batchSize, resize, null, null, Augmentation.NONE);
    }

    /** Returns this configuration with another data directory. */
    public DataConfig withDataDir(Path dir) {
        return new DataConfig(dir, batchSize, resize, limit, valLimit, augmentation);
    }

    /** Returns this configuration with another batch size. */
    public DataConfig withBatchSize(int size) {
        return new DataConfig(dataDir, size, resize, limit, valLimit, augmentation);
    }

    /** Returns this configuration with another input size. */
    public DataConfig withResize(int size) {
        return new DataConfig(dataDir, batchSize, size, limit, valLimit, augmentation);
    }

    /** Returns this configuration using only the first {@code n} training examples ({@code null}: all). */
    public DataConfig withLimit(Integer n) {
        return new DataConfig(dataDir, batchSize, resize, n, valLimit, augmentation);
    }

    /** Returns this configuration using only the first {@code n} validation examples ({@code null}: all). */
    public DataConfig withValLimit(Integer n) {
        return new DataConfig(dataDir, batchSize, resize, limit, n, augmentation);
    }

    /** Returns this configuration with another augmentation. */
    public DataConfig withAugmentation(Augmentation augment) {
        return new DataConfig(dataDir, batchSize, resize, limit, valLimit, augment);
    }
}
