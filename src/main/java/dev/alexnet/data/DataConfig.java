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
 * @param folder a folder of pictures, one sub-folder per class (see {@link ImageFolder}), read instead of
 *     Fashion-MNIST; {@code null} for Fashion-MNIST
 * @param channels the channels the pictures of {@code folder} are read with, 1 (grey) or 3 (RGB), or {@code null}
 *     for what the pictures are (RGB when any is in colour)
 * @param valFraction the share of each class of {@code folder} held out for validation when it has no
 *     {@code train}/{@code val} sub-folders, or {@code null} for {@link #DEFAULT_VAL_FRACTION}
 * @param resizeSchedule the size the training images are resized to epoch by epoch, ending at {@code resize}, or
 *     {@code null} to train every epoch at {@code resize}; validation is always at {@code resize}
 */
public record DataConfig(Path dataDir, int batchSize, int resize, Integer limit, Integer valLimit,
        Augmentation augmentation, Path folder, Integer channels, Double valFraction, ResizeSchedule resizeSchedule) {

    /** The share of a folder's pictures held out for validation when it is not split already. */
    public static final double DEFAULT_VAL_FRACTION = 0.2;

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
        if (channels != null && channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 (grey) or 3 (RGB), got " + channels);
        }
        if (folder == null && (channels != null || valFraction != null)) {
            throw new IllegalArgumentException("--channels and --val-fraction go with --data folder:PATH");
        }
        if (valFraction != null && !(valFraction > 0 && valFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be between 0 and 1 (exclusive), got "
                    + valFraction);
        }
        if (resizeSchedule != null && resizeSchedule.lastSize() != resize) {
            throw new IllegalArgumentException("the resize schedule " + resizeSchedule + " ends at "
                    + resizeSchedule.lastSize() + ", not at the input size " + resize
                    + "; end it there, or leave it out with --resize-schedule none");
        }
    }

    /** A folder or Fashion-MNIST, every epoch at {@code resize}. */
    public DataConfig(Path dataDir, int batchSize, int resize, Integer limit, Integer valLimit,
            Augmentation augmentation, Path folder, Integer channels, Double valFraction) {
        this(dataDir, batchSize, resize, limit, valLimit, augmentation, folder, channels, valFraction, null);
    }

    /** Fashion-MNIST, read and batched as given. */
    public DataConfig(Path dataDir, int batchSize, int resize, Integer limit, Integer valLimit,
            Augmentation augmentation) {
        this(dataDir, batchSize, resize, limit, valLimit, augmentation, null, null, null);
    }

    /** Returns the validation fraction to use for a folder without train/val sub-folders. */
    public double valFractionOrDefault() {
        return valFraction != null ? valFraction : DEFAULT_VAL_FRACTION;
    }

    /** Returns this configuration reading a folder of pictures (see {@link ImageFolder}), or Fashion-MNIST for null. */
    public DataConfig withFolder(Path dir) {
        return new DataConfig(dataDir, batchSize, resize, limit, valLimit, augmentation, dir,
                dir == null ? null : channels, dir == null ? null : valFraction, resizeSchedule);
    }

    /** Returns this configuration reading the folder's pictures with {@code count} channels (null: as they are). */
    public DataConfig withChannels(Integer count) {
        return new DataConfig(dataDir, batchSize, resize, limit, valLimit, augmentation, folder, count, valFraction,
                resizeSchedule);
    }

    /** Returns this configuration holding out {@code fraction} of each class of the folder for validation. */
    public DataConfig withValFraction(Double fraction) {
        return new DataConfig(dataDir, batchSize, resize, limit, valLimit, augmentation, folder, channels, fraction,
                resizeSchedule);
    }

    /** Reads all examples from the usual places, {@code batchSize} at a time, resized to {@code resize}, unaugmented. */
    public static DataConfig of(int batchSize, int resize) {
        return new DataConfig(null, batchSize, resize, null, null, Augmentation.NONE);
    }

    /** Returns this configuration with another data directory. */
    public DataConfig withDataDir(Path dir) {
        return new DataConfig(dir, batchSize, resize, limit, valLimit, augmentation, folder, channels, valFraction,
                resizeSchedule);
    }

    /** Returns this configuration with another batch size. */
    public DataConfig withBatchSize(int size) {
        return new DataConfig(dataDir, size, resize, limit, valLimit, augmentation, folder, channels, valFraction,
                resizeSchedule);
    }

    /** Returns this configuration training at the sizes of {@code schedule}, which ends at the input size (null: none). */
    public DataConfig withResizeSchedule(ResizeSchedule schedule) {
        return new DataConfig(dataDir, batchSize, resize, limit, valLimit, augmentation, folder, channels, valFraction,
                schedule);
    }

    /** Returns the size epoch {@code epoch} (from 1) trains at. */
    public int trainSize(int epoch) {
        return resizeSchedule == null ? resize : resizeSchedule.sizeAt(epoch);
    }

    /** Returns this configuration with another input size. */
    public DataConfig withResize(int size) {
        return new DataConfig(dataDir, batchSize, size, limit, valLimit, augmentation, folder, channels, valFraction,
                resizeSchedule);
    }

    /** Returns this configuration using only the first {@code n} training examples ({@code null}: all). */
    public DataConfig withLimit(Integer n) {
        return new DataConfig(dataDir, batchSize, resize, n, valLimit, augmentation, folder, channels, valFraction,
                resizeSchedule);
    }

    /** Returns this configuration using only the first {@code n} validation examples ({@code null}: all). */
    public DataConfig withValLimit(Integer n) {
        return new DataConfig(dataDir, batchSize, resize, limit, n, augmentation, folder, channels, valFraction,
                resizeSchedule);
    }

    /** Returns this configuration with another augmentation. */
    public DataConfig withAugmentation(Augmentation augment) {
        return new DataConfig(dataDir, batchSize, resize, limit, valLimit, augment, folder, channels, valFraction,
                resizeSchedule);
    }
}
