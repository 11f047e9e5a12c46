package dev.alexnet.bench;

import dev.alexnet.train.RunConfig;
import dev.alexnet.model.ModelConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Benchmark} measures.
 *
 * @param model the network (its input size is the resize)
 * @param batchSizes the batch sizes, each measured in turn
 * @param steps timed training steps per batch size and phase
 * @param warmup untimed steps before them
 * @param learningRate the SGD learning rate
 * @param scaleLearningRate scale the rate by batch/128 (the linear scaling rule) in accuracy runs
 * @param dataDir where Fashion-MNIST is ({@code null}: the usual places)
 * @param trainEpochs epochs of a short training per batch size for accuracy, or {@code null} for none
 * @param limit training images for those runs ({@code null}: all)
 * @param valLimit validation images for those runs ({@code null}: all)
 * @param gemmSize side of the square float32 matrix product that measures the machine's ceiling
 * @param seed seeds initialization, dropout and data order
 * @param augmentation what the data path does to training images (pipeline and accuracy runs)
 * @param folder a folder of pictures to read instead of Fashion-MNIST ({@code null}: Fashion-MNIST)
 * @param channels the channels the folder's pictures are read with ({@code null}: as they are)
 */
public record BenchConfig(ModelConfig model, List<Integer> batchSizes, int steps, int warmup, float learningRate,
        boolean scaleLearningRate, Path dataDir, Integer trainEpochs, Integer limit, Integer valLimit, int gemmSize,
        long seed, dev.alexnet.data.Augmentation augmentation, Path folder, Integer channels) {

    /** The batch size the linear scaling rule is relative to: the book's. */
    public static final int REFERENCE_BATCH = RunConfig.book().data().batchSize();

    /** Checks every field. */
    public BenchConfig {
        batchSizes = List.copyOf(batchSizes);
        if (batchSizes.isEmpty() || batchSizes.stream().anyMatch(b -> b < 1)) {
            throw new IllegalArgumentException("batch sizes must be positive, got " + batchSizes);
        }
        if (steps < 1 || warmup < 0 || gemmSize < 1) {
            throw new IllegalArgumentException("need steps >= 1, warmup >= 0 and a positive GEMM size");
        }
        if (trainEpochs != null && trainEpochs < 1) {
            throw new IllegalArgumentException("train epochs must be positive, got " + trainEpochs);
        }
    }

    /** Returns the learning rate for an accuracy run at {@code batchSize}. */
    public float learningRateFor(int batchSize) {
        return scaleLearningRate ? learningRate * batchSize / REFERENCE_BATCH : learningRate;
    }

    /** Returns a builder for a benchmark of {@code model}: every setting named where it is given. */
    public static Builder builder(ModelConfig model) {
        return new Builder(model);
    }

    /** Names each setting of a {@link BenchConfig}; {@link #build()} checks them together. */
    public static final class Builder {
        private final ModelConfig model;
        private List<Integer> batchSizes = List.of();
        private int steps;
        private int warmup;
        private float learningRate;
        private boolean scaleLearningRate;
        private Path dataDir;
        private Integer trainEpochs;
        private Integer limit;
        private Integer valLimit;
        private int gemmSize;
        private long seed;
        private dev.alexnet.data.Augmentation augmentation = dev.alexnet.data.Augmentation.NONE;
        private Path folder;
        private Integer channels;

        private Builder(ModelConfig model) {
            this.model = model;
        }

        public Builder batchSizes(List<Integer> sizes) {
            this.batchSizes = sizes;
            return this;
        }

        public Builder steps(int timed, int untimed) {
            this.steps = timed;
            this.warmup = untimed;
            return this;
        }

        public Builder learningRate(float rate, boolean scaledByBatch) {
            this.learningRate = rate;
            this.scaleLearningRate = scaledByBatch;
            return this;
        }

        public Builder data(Path dir, Integer trainingLimit, Integer validationLimit,
                dev.alexnet.data.Augmentation augment) {
            this.dataDir = dir;
            this.limit = trainingLimit;
            this.valLimit = validationLimit;
            this.augmentation = augment;
            return this;
        }

        /** Reads a folder of pictures (see {@code ImageFolder}) instead of Fashion-MNIST, with these channels. */
        public Builder folder(Path dir, Integer pictureChannels) {
            this.folder = dir;
            this.channels = pictureChannels;
            return this;
        }

        public Builder trainEpochs(Integer epochs) {
            this.trainEpochs = epochs;
            return this;
        }

        public Builder gemmSize(int side) {
            this.gemmSize = side;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** Returns the configuration, checked. */
        public BenchConfig build() {
            return new BenchConfig(model, batchSizes, steps, warmup, learningRate, scaleLearningRate, dataDir,
                    trainEpochs, limit, valLimit, gemmSize, seed, augmentation, folder, channels);
        }
    }
}
