package dev.alexnet.data;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import java.nio.file.Files;
import dev.alexnet.io.Digests;
import dev.alexnet.model.ModelConfig;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Fashion-MNIST as the book uses it (the DataModule): the 60,000 training images for training and
 * the 10,000 test images for validation, scaled to [0, 1], resized and batched.
 *
 * <p>Training batches come in a new order each epoch; the order of epoch {@code e} depends only on
 * the seed and {@code e}, so a run can be repeated. Validation batches keep the file's order. The
 * last, partial batch is kept. While one batch is used, the next is prepared on a background thread.
 */
public final class FashionMnist extends DataModule {

    /** The ten classes, in label order. */
    public static final List<String> CLASS_NAMES = ModelConfig.FASHION_MNIST_CLASSES;

    /** Where the Debian package {@code dataset-fashion-mnist} puts the files. */
    public static final String DEBIAN_DIR_NAME = "/usr/share/datasets/fashion-mnist";

    /** {@link #DEBIAN_DIR_NAME} as a path. */
    public static final Path DEBIAN_DIR = Path.of(DEBIAN_DIR_NAME);

    /** The environment variable that names a data directory when no flag does. */
    public static final String DIR_VARIABLE = "FASHION_MNIST_DIR";

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    /** The side of a Fashion-MNIST image in pixels. */
    public static final int SIDE_PIXELS = 28;
    static final int SIDE = SIDE_PIXELS;

    private FashionMnist(DataConfig config, Split train, Split validation, List<DatasetCheck.FileCheck> files) {
        super(config, train, validation, files, CLASS_NAMES);
    }

    /**
     * Finds, reads and checks the four files, keeping the first {@code limit}/{@code valLimit}
     * examples; each file is read once, its fingerprint taken on the way (see {@link #files()}).
     */
    public static FashionMnist load(DataConfig config) {
        Path dir = locate(config.dataDir());
        List<DatasetCheck.FileCheck> files = new ArrayList<>();
        Split train = readSplit("train", dir, TRAIN_IMAGES, TRAIN_LABELS, files);
        Split validation = readSplit("validation", dir, TEST_IMAGES, TEST_LABELS, files);
        return new FashionMnist(config.withDataDir(dir), limited(train, config.limit()),
                limited(validation, config.valLimit()), files);
    }

    /**
     * Reads only the validation split (the 10,000 test images), for scoring a trained model; the
     * training split is then empty and the training files are not read.
     */
    public static FashionMnist loadValidation(DataConfig config) {
        Path dir = locate(config.dataDir());
        List<DatasetCheck.FileCheck> files = new ArrayList<>();
        Split validation = readSplit("validation", dir, TEST_IMAGES, TEST_LABELS, files);
        Split noTraining = new Split("train", new IdxImages(0, SIDE, SIDE, new byte[0]), new byte[0]);
        return new FashionMnist(config.withDataDir(dir), noTraining, limited(validation, config.valLimit()), files);
    }

    /** Returns a network's configuration for Fashion-MNIST: its ten classes, at {@code inputSize}. */
    public static ModelConfig network(String name, int inputSize) {
        return new ModelConfig(name, CLASS_NAMES.size(), inputSize);
    }

    private static Split limited(Split split, Integer limit) {
        return limit == null ? split : split.first(limit);
    }

    /**
     * Returns the directory holding the four files: {@code explicit} when given, else
     * {@code $FASHION_MNIST_DIR} when set, else {@link #DEBIAN_DIR}.
     *
     * @throws DataException if that directory lacks a file, saying how to get the data
     */
    public static Path locate(Path explicit) {
        String variable = System.getenv(DIR_VARIABLE);
        Path dir;
        String source;
        if (explicit != null) {
            dir = explicit;
            source = "--data-dir";
        } else if (variable != null && !variable.isBlank()) {
            dir = Path.of(variable);
            source = "$" + DIR_VARIABLE;
        } else {
            dir = DEBIAN_DIR;
            source = "the default location";
        }
        List<String> missing = new ArrayList<>();
        for (String name : List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)) {
            if (find(dir, name) == null) {
                missing.add(name + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            throw new DataException("Fashion-MNIST not found in " + dir + " (" + source + "): missing "
                    + String.join(", ", missing) + "; pass --data-dir, set " + DIR_VARIABLE
                    + ", or install the Debian package dataset-fashion-mnist");
        }
        return dir;
    }

    static Path find(Path dir, String name) {
        for (Path candidate : List.of(dir.resolve(name + ".gz"), dir.resolve(name))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static Split readSplit(String name, Path dir, String imagesName, String labelsName,
            List<DatasetCheck.FileCheck> files) {
        Path imagesFile = find(dir, imagesName);
        MessageDigest imagesDigest = Digests.newSha256();
        IdxImages images = IdxReader.readImages(imagesFile, imagesDigest);
        files.add(DatasetCheck.of(imagesName, imagesFile, imagesDigest));
        if (images.rows() != SIDE || images.cols() != SIDE) {
            throw new DataException(imagesFile + ": images are " + images.rows() + "x" + images.cols()
                    + ", Fashion-MNIST's are " + SIDE + "x" + SIDE);
        }
        Path labelsFile = find(dir, labelsName);
        MessageDigest labelsDigest = Digests.newSha256();
        byte[] labels = IdxReader.readLabels(labelsFile, CLASS_NAMES.size(), labelsDigest);
        files.add(DatasetCheck.of(labelsName, labelsFile, labelsDigest));
        if (labels.length != images.count()) {
            throw new DataException(labelsFile + ": " + labels.length + " labels but " + imagesFile
                    + " holds " + images.count() + " images");
        }
        return new Split(name, images, labels);
    }

    /** Returns the same examples batched {@code batchSize} at a time; close it like this one. */
    @Override
    public FashionMnist withBatchSize(int batchSize) {
        return new FashionMnist(config().withBatchSize(batchSize), train(), validation(), files());
    }
}
