package dev.alexnet.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import dev.alexnet.data.BatchStream;
import dev.alexnet.data.DataConfig;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.model.MemoryEstimate;
import dev.alexnet.model.Networks;
import dev.alexnet.model.NetworkAnalysis;
import dev.alexnet.model.Classifier;
import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.MemoryProbe;
import dev.alexnet.train.Trainer;
import dev.alexnet.train.Optimizers;
import dev.alexnet.train.RunConfig;
import dev.alexnet.model.OptimizerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The chapter's sixth exercise as a measurement: for each batch size, what the engine alone can do,
 * what the real data path lets it do, how close that comes to the machine's matrix-product ceiling,
 * and how much memory it takes; optionally what accuracy a short training reaches.
 */
public final class Benchmark {

    private static final int GEMM_WARMUP = 2;
    private static final int GEMM_REPEATS = 5;

    private final BenchConfig config;
    private final Device device;
    private final Consumer<String> log;

    /** Measures {@code config} on {@code device}, telling {@code log} what it is doing. */
    public Benchmark(BenchConfig config, Device device, Consumer<String> log) {
        this.config = config;
        this.device = device;
        this.log = log;
    }

    /** Runs every measurement. */
    public BenchReport run() {
        int largestBatch = config.batchSizes().stream().mapToInt(Integer::intValue).max().orElseThrow();
        MemoryEstimate.requireFits(MemoryEstimate.training(config.model(), largestBatch), "training "
                + config.model().name() + " in batches of " + largestBatch);
        MachineInfo machine = MachineInfo.collect(device, measureGemm());
        log.accept(String.format(java.util.Locale.ROOT, "float32 %d³ matrix product: %.1f GFLOP/s", config.gemmSize(),
                machine.gemmGflops()));
        List<BenchResult> results = new ArrayList<>();
        int largest = config.batchSizes().stream().mapToInt(Integer::intValue).max().orElseThrow();
        int examples = largest * (config.steps() + config.warmup());
        DataConfig dataConfig = new DataConfig(config.dataDir(), largest, config.model().inputSize(), examples, 1,
                config.augmentation());
        try (FashionMnist data = FashionMnist.load(dataConfig)) {
            if (data.train().size() < examples) {
                throw new IllegalArgumentException("the pipeline needs " + examples + " training images, the data has "
                        + data.train().size());
            }
            for (int batchSize : config.batchSizes()) {
                BenchResult result = measure(batchSize, data, machine.gemmGflops());
                if (config.trainEpochs() != null) {
                    float rate = config.learningRateFor(batchSize);
                    result = result.withAccuracy(rate, trainForAccuracy(batchSize, rate));
                }
                results.add(result);
            }
        }
        return new BenchReport(config, machine, results);
    }

    /** Times a large float32 matrix product: the practical ceiling of the engine on this machine. */
    double measureGemm() {
        int n = config.gemmSize();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDArray a = manager.randomUniform(-1, 1, new ai.djl.ndarray.types.Shape(n, n));
            NDArray b = manager.randomUniform(-1, 1, new ai.djl.ndarray.types.Shape(n, n));
            List<Double> seconds = new ArrayList<>();
            for (int i = 0; i < GEMM_WARMUP + GEMM_REPEATS; i++) {
                try (NDManager scratch = manager.newSubManager()) {
                    a.tempAttach(scratch);
                    b.tempAttach(scratch);
                    long start = System.nanoTime();
                    NDArray c = a.matMul(b);
                    c.getFloat(0, 0); // waits for the result where the engine is asynchronous
                    if (i >= GEMM_WARMUP) {
                        seconds.add((System.nanoTime() - start) / 1e9);
                    }
                }
            }
            return 2.0 * n * n * n / BenchResult.Spread.of(seconds).median() / 1e9;
        }
    }

    private BenchResult measure(int batchSize, FashionMnist data, double gemmGflops) {
        log.accept("batch " + batchSize + ": engine steps");
        MemoryProbe.resetPeak();
        List<Double> engine = new ArrayList<>();
        List<Double> pipeline = new ArrayList<>();
        List<Double> inference = new ArrayList<>();
        try (Classifier model = new Classifier(config.model(), OptimizerConfig.sgd(config.learningRate()), device);
                ai.djl.training.Trainer trainer = Trainer.newEngineTrainer(model,
                        Optimizers.create(model.optimizer(), config.warmup() + config.steps()));
                NDManager manager = NDManager.newBaseManager(device)) {
            Engine.getInstance().setRandomSeed((int) config.seed());
            trainer.initialize(Networks.inputShape(config.model(), 1));
            NDArray images = manager.randomUniform(0, 1, Networks.inputShape(config.model(), batchSize));
            NDArray labels = manager.randomInteger(0, config.model().numClasses(),
                    new ai.djl.ndarray.types.Shape(batchSize), DataType.INT64);
            for (int step = 0; step < config.warmup() + config.steps(); step++) {
                try (NDManager scratch = manager.newSubManager()) {
                    images.tempAttach(scratch);
                    labels.tempAttach(scratch);
                    long start = System.nanoTime();
                    Trainer.trainStep(trainer, new NDList(images), new NDList(labels));
                    if (step >= config.warmup()) {
                        engine.add((System.nanoTime() - start) / 1e9);
                    }
                }
            }
            log.accept("batch " + batchSize + ": validation (inference) steps");
            for (int step = 0; step < config.warmup() + config.steps(); step++) {
                try (NDManager scratch = manager.newSubManager()) {
                    images.tempAttach(scratch);
                    long start = System.nanoTime();
                    // Outside a gradient collector the engine records no graph, as in Classifier.evaluate.
                    model.block().forward(new ParameterStore(scratch, false), new NDList(images), false)
                            .singletonOrThrow().getFloat(0, 0);
                    if (step >= config.warmup()) {
                        inference.add((System.nanoTime() - start) / 1e9);
                    }
                }
            }
            log.accept("batch " + batchSize + ": pipeline steps");
            try (FashionMnist sized = data.withBatchSize(batchSize);
                    BatchStream stream = sized.trainBatches(1, config.seed(), manager)) {
                long start = System.nanoTime();
                for (int step = 0; step < config.warmup() + config.steps() && stream.hasNext(); step++) {
                    try (Batch batch = stream.next()) {
                        Trainer.trainStep(trainer, batch.getData(), batch.getLabels());
                    }
                    long end = System.nanoTime();
                    if (step >= config.warmup()) {
                        pipeline.add((end - start) / 1e9);
                    }
                    start = end;
                }
            }
        }
        return BenchResult.measured(batchSize, BenchResult.Spread.of(engine), BenchResult.Spread.of(pipeline),
                BenchResult.Spread.of(inference), NetworkAnalysis.of(config.model(), 1).trainFlopsPerExample(),
                gemmGflops, MemoryProbe.peakResidentBytes());
    }

    private double trainForAccuracy(int batchSize, float rate) {
        log.accept("batch " + batchSize + ": training " + config.trainEpochs() + " epochs at lr " + rate);
        RunConfig run = new RunConfig(config.model(), new DataConfig(config.dataDir(), batchSize,
                config.model().inputSize(), config.limit(), config.valLimit(), config.augmentation()),
                RunConfig.book().training().withMaxEpochs(config.trainEpochs()).withSeed(config.seed()),
                OptimizerConfig.sgd(rate));
        // the book's four lines: model, data, trainer, fit
        try (Classifier model = new Classifier(run.model(), run.optimizer(), device);
                FashionMnist data = FashionMnist.load(run.data())) {
            List<EpochMetrics> history = new Trainer(run.training()).fit(model, data);
            return history.get(history.size() - 1).valAccuracy();
        }
    }
}
