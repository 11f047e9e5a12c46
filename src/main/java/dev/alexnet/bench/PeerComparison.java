package dev.alexnet.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.modality.cv.transform.Resize;
import ai.djl.modality.cv.transform.ToTensor;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.util.Progress;
import ai.djl.training.dataset.Batch;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import dev.alexnet.data.BatchStream;
import dev.alexnet.data.DataConfig;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.data.IdxImages;
import dev.alexnet.data.Split;
import dev.alexnet.model.Classifier;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.Networks;
import dev.alexnet.model.OptimizerConfig;
import dev.alexnet.train.Optimizers;
import dev.alexnet.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * This project's training against the d2l-java way of training the same network with DJL, on the
 * same machine, in alternation, over the same images: the book's AlexNet (at 224 unless told
 * otherwise), SGD at 0.01, batches of 128.
 *
 * <p>The peer is written as d2l-java's AlexNet chapter writes it: a plain {@link SequentialBlock} of
 * DJL's blocks, the Fashion-MNIST images as a DJL dataset whose pipeline resizes and converts each
 * image on its own ({@link Resize} then {@link ToTensor}), and {@link EasyTrain#fit} with an accuracy
 * evaluator and DJL's basic training listeners (epoch, evaluator and divergence checks; d2l-java's
 * logging adds a console progress bar). Ours is what {@code train} runs per batch: the data path's batches and
 * {@link Trainer#trainStep}. Each side trains one network through all rounds, timed over all its
 * images each round, from the first batch asked for to the last step done; a batch of each before the
 * first round warms both up.
 *
 * @param size the side the images are resized to
 * @param images training images per side and round
 * @param rounds rounds, each timing ours and then the peer
 * @param oursImagesPerSec our rate in each round
 * @param peerImagesPerSec the peer's rate in each round
 */
public record PeerComparison(int size, int images, int rounds, List<Double> oursImagesPerSec, List<Double> peerImagesPerSec) {

    /** The book's batch size, learning rate and input size. */
    public static final int BATCH = 128;
    private static final float LEARNING_RATE = 0.01f;
    /** The book's input size. */
    public static final int SIZE = 224;

    /** Returns the median of our rates over the peer's median. */
    public double ratio() {
        return median(oursImagesPerSec) / median(peerImagesPerSec);
    }

    /** Returns the median of {@code values}. */
    public static double median(List<Double> values) {
        return BenchResult.Spread.of(values).median();
    }

    /**
     * Times both ways of training over the first {@code images} training images of the Fashion-MNIST
     * in {@code dataDir} ({@code null}: the usual places), resized to {@code size}, {@code rounds} times
     * each, alternating.
     */
    public static PeerComparison measure(Path dataDir, int size, int images, int rounds, Device device,
            Consumer<String> log) {
        if (images < BATCH || rounds < 1) {
            throw new IllegalArgumentException("need at least " + BATCH + " images and one round");
        }
        ModelConfig config = new ModelConfig(Networks.ALEXNET, 10, size);
        List<Double> ours = new ArrayList<>();
        List<Double> peer = new ArrayList<>();
        try (FashionMnist data = FashionMnist.load(new DataConfig(dataDir, BATCH, size, images, 1,
                dev.alexnet.data.Augmentation.NONE))) {
            if (data.train().size() < images) {
                throw new IllegalArgumentException("the data has " + data.train().size() + " training images, not "
                        + images);
            }
            measure(data, config, images, rounds, device, log, ours, peer);
        }
        return new PeerComparison(size, images, rounds, ours, peer);
    }

    private static void measure(FashionMnist data, ModelConfig config, int images, int rounds, Device device,
            Consumer<String> log, List<Double> ours, List<Double> peer) {
        int size = config.inputSize();
        // the step count only shapes schedules; plain SGD has none
        int steps = (int) Math.min(Integer.MAX_VALUE, (rounds + 1L) * (images / BATCH + 1));
        try (NDManager manager = NDManager.newBaseManager(device);
                Classifier model = new Classifier(config, OptimizerConfig.sgd(LEARNING_RATE), device);
                ai.djl.training.Trainer trainer = Trainer.newEngineTrainer(model,
                        Optimizers.create(model.optimizer(), steps));
                Model peerModel = Model.newInstance("d2l-alexnet", device)) {
            trainer.initialize(Networks.inputShape(config, 1));
            peerModel.setBlock(d2lAlexNet());
            DefaultTrainingConfig peerConfig = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(LEARNING_RATE)).build())
                    .addEvaluator(new Accuracy()).optDevices(new Device[] {device})
                    // d2l-java adds Defaults.logging(): these, and a progress bar printed to the console
                    .addTrainingListeners(TrainingListener.Defaults.basic());
            try (ai.djl.training.Trainer peerTrainer = peerModel.newTrainer(peerConfig)) {
                peerTrainer.initialize(new Shape(1, 1, size, size));
                PerImageDataset peerData = peerDataset(data.train(), images, size, manager);
                log.accept("warming up: one batch each");
                oursOnce(trainer, data, BATCH, device);
                peerOnce(peerTrainer, peerDataset(data.train(), BATCH, size, manager));
                for (int round = 1; round <= rounds; round++) {
                    log.accept("round " + round + " of " + rounds + ": ours");
                    ours.add(images / oursOnce(trainer, data, images, device));
                    log.accept("round " + round + " of " + rounds + ": DJL EasyTrain, per-image Resize + ToTensor");
                    peer.add(images / peerOnce(peerTrainer, peerData));
                }
            }
        }
    }

    /** Trains on the first {@code images} of {@code data}'s batches; returns the seconds. */
    private static double oursOnce(ai.djl.training.Trainer trainer, FashionMnist data, int images, Device device) {
        try (NDManager batches = NDManager.newBaseManager(device)) {
            long start = System.nanoTime();
            int seen = 0;
            try (BatchStream stream = data.trainBatches(1, 1, batches)) {
                while (seen < images && stream.hasNext()) {
                    try (Batch batch = stream.next()) {
                        Trainer.trainStep(trainer, batch.getData(), batch.getLabels());
                        seen += batch.getSize();
                    }
                }
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /** Trains the d2l-java network one epoch over {@code dataset}; returns the seconds. */
    private static double peerOnce(ai.djl.training.Trainer trainer, PerImageDataset dataset) {
        try {
            long start = System.nanoTime();
            EasyTrain.fit(trainer, 1, dataset, null);
            return (System.nanoTime() - start) / 1e9;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TranslateException e) {
            throw new IllegalStateException("the DJL peer failed: " + e.getMessage(), e);
        }
    }

    /**
     * The first {@code count} images of {@code split} as a DJL dataset of 28×28×1 bytes per image, each
     * resized to {@code size} and made a [0, 1] CHW tensor on its own by the dataset's pipeline.
     */
    private static PerImageDataset peerDataset(Split split, int count, int size, NDManager manager) {
        IdxImages images = split.images();
        ByteBuffer pixels = ByteBuffer.allocateDirect(count * images.imageBytes());
        pixels.put(images.pixels(), 0, count * images.imageBytes()).flip();
        long[] labels = new long[count];
        for (int i = 0; i < count; i++) {
            labels[i] = split.label(i);
        }
        NDArray data = manager.create(pixels, new Shape(count, images.rows(), images.cols(), 1), DataType.UINT8);
        return new PerImageDataset(new PerImageDataset.Builder().setSampling(BATCH, true)
                .addTransform(new Resize(size)).addTransform(new ToTensor()), data, labels);
    }

    /**
     * A dataset whose records are single images, so that DJL's data iterator runs the pipeline on each
     * image and then stacks them — the per-image path. (DJL's {@code ArrayDataset}, which its
     * Fashion-MNIST extends, now transforms a whole batch at once instead.)
     */
    private static final class PerImageDataset extends RandomAccessDataset {

        private final NDArray images;
        private final long[] labels;

        PerImageDataset(Builder builder, NDArray images, long[] labels) {
            super(builder);
            this.images = images;
            this.labels = labels;
        }

        @Override
        public Record get(NDManager manager, long index) {
            return new Record(new NDList(images.get(manager, index)), new NDList(manager.create(labels[(int) index])));
        }

        @Override
        protected long availableSize() {
            return labels.length;
        }

        @Override
        public void prepare(Progress progress) {
            // the images are in memory already
        }

        static final class Builder extends RandomAccessDataset.BaseBuilder<Builder> {
            @Override
            protected Builder self() {
                return this;
            }
        }
    }

    /** The book's AlexNet as d2l-java writes it with DJL's blocks. */
    private static SequentialBlock d2lAlexNet() {
        return new SequentialBlock()
                .add(conv(96, 11, 4, 1)).add(Activation::relu).add(maxPool())
                .add(conv(256, 5, 1, 2)).add(Activation::relu).add(maxPool())
                .add(conv(384, 3, 1, 1)).add(Activation::relu)
                .add(conv(384, 3, 1, 1)).add(Activation::relu)
                .add(conv(256, 3, 1, 1)).add(Activation::relu).add(maxPool())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(4096).build()).add(Activation::relu)
                .add(Dropout.builder().optRate(0.5f).build())
                .add(Linear.builder().setUnits(4096).build()).add(Activation::relu)
                .add(Dropout.builder().optRate(0.5f).build())
                .add(Linear.builder().setUnits(10).build());
    }

    private static Conv2d conv(int filters, int kernel, int stride, int padding) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(padding, padding)).build();
    }

    private static ai.djl.nn.Block maxPool() {
        return Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2));
    }

    /**
     * Refuses what the comparison cannot time: another network than the book's, or fewer images than a batch.
     *
     * @param model the network asked for, or null for the book's
     */
    public static void check(String model, int images) {
        if (model != null && !model.equals(dev.alexnet.model.Networks.ALEXNET)) {
            throw new IllegalArgumentException("--peers compares the book's " + dev.alexnet.model.Networks.ALEXNET
                    + ", not " + model);
        }
        if (images < BATCH) {
            throw new IllegalArgumentException("--peer-images must be at least " + BATCH + " (one batch), got " + images);
        }
    }

    /** Returns the comparison as {@code bench --peers --json} prints it. */
    public java.util.Map<String, Object> toJson(MachineInfo.Cpu cpu) {
        java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("cpu", cpu);
        json.put("size", size);
        json.put("images", images);
        json.put("rounds", rounds);
        json.put("oursImagesPerSec", oursImagesPerSec);
        json.put("djlEasyTrainImagesPerSec", peerImagesPerSec);
        json.put("ratio", ratio());
        return json;
    }
}
