package dev.alexnet.data;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import dev.alexnet.model.ModelConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A labelled image dataset as the book's trainer uses it (the DataModule): a training split and a validation
 * split, their class names and channels, scaled to [0, 1], resized and batched. {@link FashionMnist} and
 * {@link ImageFolder} load one; {@link #load} picks by the configuration.
 *
 * <p>Training batches come in a new order each epoch; the order of epoch {@code e} depends only on
 * the seed and {@code e}, so a run can be repeated. Validation batches keep the split's order. The
 * last, partial batch is kept. While one batch is used, the next is prepared on a background thread.
 */
public class DataModule implements AutoCloseable {

    private final DataConfig config;
    private final Split train;
    private final Split validation;
    private final List<DatasetCheck.FileCheck> files;
    private final List<String> classNames;
    private final BatchMaker batchMaker;
    // the makers of a resize schedule's other sizes, made when first used
    private final Map<Integer, BatchMaker> scheduledMakers = new ConcurrentHashMap<>();
    private final ExecutorService prefetcher;

    DataModule(DataConfig config, Split train, Split validation, List<DatasetCheck.FileCheck> files,
            List<String> classNames) {
        this.config = config;
        this.train = train;
        this.validation = validation;
        this.files = List.copyOf(files);
        this.classNames = List.copyOf(classNames);
        this.batchMaker = new BatchMaker(config.resize());
        this.prefetcher = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "batch-prefetch");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Loads what {@code config} names: a folder of pictures ({@link DataConfig#folder()}) or Fashion-MNIST. */
    public static DataModule load(DataConfig config) {
        return config.folder() != null ? ImageFolder.load(config) : FashionMnist.load(config);
    }

    /** Loads only the validation split of what {@code config} names, for scoring a trained model. */
    public static DataModule loadValidation(DataConfig config) {
        return config.folder() != null ? ImageFolder.loadValidation(config) : FashionMnist.loadValidation(config);
    }

    /**
     * Returns a data module over splits the caller made (for example, pictures in an order of its own), batched and
     * resized as {@code config} says.
     */
    public static DataModule of(DataConfig config, Split train, Split validation, List<String> classNames) {
        return new DataModule(config, train, validation, List.of(), classNames);
    }

    /** Returns what was skipped or changed while reading, for the user to see; empty when nothing was. */
    public List<String> notices() {
        return List.of();
    }

    /** Returns the class names, in label order. */
    public List<String> classNames() {
        return classNames;
    }

    /** Returns the images' channels: 1 (grey) or 3 (RGB). */
    public int channels() {
        return validation.size() > 0 ? validation.images().channels() : train.images().channels();
    }

    /**
     * Returns {@code model} fitted to this data: its classes, their names, the images' channels and how a picture is
     * prepared for it.
     */
    public ModelConfig fit(ModelConfig model) {
        return model.withClasses(classNames).withChannels(channels())
                .withPreprocessing(config.folder() != null ? ModelConfig.RESIZE : ModelConfig.FASHION_MNIST_STYLE);
    }

    /** Returns the same examples batched {@code batchSize} at a time; close it like this one. */
    public DataModule withBatchSize(int batchSize) {
        return new DataModule(config.withBatchSize(batchSize), train, validation, files, classNames);
    }

    /** Returns the fingerprint of each file read, in the order read (training files first). */
    public List<DatasetCheck.FileCheck> files() {
        return files;
    }

    /** Returns the configuration this data was loaded with, its data directory resolved. */
    public DataConfig config() {
        return config;
    }

    /** Returns the training split. */
    public Split train() {
        return train;
    }

    /** Returns the validation split. */
    public Split validation() {
        return validation;
    }

    /** Returns how many batches one pass over a split takes. */
    public int batchCount(Split split) {
        return (int) ((split.size() + (long) config.batchSize() - 1) / config.batchSize());
    }

    /** Returns epoch {@code epoch}'s training batches, shuffled from {@code seed}; arrays live under {@code manager}. */
    public BatchStream trainBatches(int epoch, long seed, NDManager manager) {
        return trainBatches(epoch, seed, 0, manager);
    }

    /**
     * Returns epoch {@code epoch}'s training batches from batch {@code firstBatch} (0-based) on, in
     * the same order as a whole pass would give them; used to resume inside an epoch. Their images are resized to
     * the epoch's size ({@link DataConfig#trainSize(int)}).
     */
    public BatchStream trainBatches(int epoch, long seed, int firstBatch, NDManager manager) {
        // each batch's augmentation draws from its own generator, seeded by (seed, epoch, batch): repeatable
        // on resume, different every epoch
        long augmentSeed = seed * 1_000_003L + epoch * 7_919L;
        int size = config.trainSize(epoch);
        BatchMaker maker = size == config.resize() ? batchMaker : scheduledMakers.computeIfAbsent(size, BatchMaker::new);
        return new BatchStream(maker, train, shuffledOrder(epoch, seed), config.batchSize(), firstBatch, manager,
                prefetcher, config.augmentation(), augmentSeed);
    }

    /** Returns the validation batches in file order; arrays live under {@code manager}. */
    public BatchStream validationBatches(NDManager manager) {
        return validationBatches(manager, config.batchSize());
    }

    /** Returns the validation examples in order, in batches of {@code batchSize}, never augmented. */
    public BatchStream validationBatches(NDManager manager, int batchSize) {
        return new BatchStream(batchMaker, validation, fileOrder(validation), batchSize, 0, manager, prefetcher,
                Augmentation.NONE, 0);
    }

    /** Returns 0, 1, …: the split's examples in the file's order. */
    private static int[] fileOrder(Split split) {
        int[] order = new int[split.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return order;
    }

    /**
     * Returns validation examples {@code from} (inclusive) to {@code to} (exclusive) as one batch,
     * made exactly as the batches of {@link #validationBatches(NDManager, int)} are.
     */
    public Batch validationBatch(int from, int to, NDManager manager) {
        if (from < 0 || to > validation.size() || from >= to) {
            throw new IllegalArgumentException("validation examples " + from + ".." + (to - 1) + " are outside 0.."
                    + (validation.size() - 1));
        }
        return batchMaker.make(validation, fileOrder(validation), from, to, manager, 1, 1);
    }

    /** Returns the order of the training examples in epoch {@code epoch} (1-based) of a run seeded by {@code seed}. */
    public int[] shuffledOrder(int epoch, long seed) {
        List<Integer> order = new ArrayList<>(train.size());
        for (int i = 0; i < train.size(); i++) {
            order.add(i);
        }
        // A fresh generator per epoch makes each epoch's order a function of (seed, epoch) alone.
        Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public void close() {
        prefetcher.shutdownNow();
    }
}
