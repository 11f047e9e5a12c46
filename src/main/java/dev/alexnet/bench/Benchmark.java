package dev.alexnet.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.dataset.Batch;
import dev.alexnet.data.BatchStream;
import dev.alexnet.data.DataConfig;
import dev.alexnet.data.DataModule;
import dev.alexnet.model.ModelConfig;
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
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The chapter's sixth exercise as a measurement: for each batch size, what the engine alone can do,
 * what the real data path lets it do, how close that comes to the machine's measured float32 ceiling,
 * and how much memory it takes; optionally what accuracy a short training reaches.
 */
public final class Benchmark {

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
        log.accept("the machine's ceiling: matrix products and a 3x3 convolution");
        Ceiling before = Ceiling.measure(device, config.model(), largestBatch, config.gemmSize());
        log.accept(String.format(Locale.ROOT, "ceiling %.1f GFLOP/s (%s)", before.gflops(), before.kernel()));
        List<BenchResult> results = new ArrayList<>();
        int examples = largestBatch * (config.steps() + config.warmup());
        DataConfig dataConfig = new DataConfig(config.dataDir(), largestBatch, config.model().inputSize(), examples, 1,
                config.augmentation()).withFolder(config.folder()).withChannels(config.channels());
        long reading = System.nanoTime();
        try (DataModule data = DataModule.load(dataConfig)) {
            if (data.train().size() < examples) {
                throw new IllegalArgumentException("the pipeline needs " + examples + " training images, the data has "
                        + data.train().size());
            }
            if (config.folder() != null) {
                data.notices().forEach(log);
                log.accept(String.format(Locale.ROOT, "read %d pictures in %.1f s (first pass: decoded on %d cores "
                        + "into %s, %d MB as %dx%dx%d bytes each)", data.train().size() + data.validation().size(),
                        (System.nanoTime() - reading) / 1e9, Runtime.getRuntime().availableProcessors(),
                        data.train().images().inFile() ? "a file mapped into memory" : "memory",
                        (data.train().images().bytes() + data.validation().images().bytes()) >> 20,
                        data.channels(), data.train().images().rows(), data.train().images().cols()));
            }
            ModelConfig network = config.folder() != null ? data.fit(config.model()) : config.model();
            for (int batchSize : config.batchSizes()) {
                BenchResult result = measure(batchSize, data, network, before.gflops());
                if (config.trainEpochs() != null) {
                    float rate = config.learningRateFor(batchSize);
                    result = result.withAccuracy(rate, trainForAccuracy(batchSize, rate));
                }
                results.add(result);
            }
        }
        // measured again after the steps: a ceiling taken while the machine was slowed would flatter them
        log.accept("the machine's ceiling again");
        Ceiling ceiling = before.max(Ceiling.measure(device, config.model(), largestBatch, config.gemmSize()));
        log.accept(String.format(Locale.ROOT, "ceiling %.1f GFLOP/s (%s)", ceiling.gflops(), ceiling.kernel()));
        MachineInfo machine = MachineInfo.collect(device, ceiling, Ceiling.squareKernel(config.gemmSize()));
        results = results.stream().map(r -> r.withCeiling(ceiling.gflops())).toList();
        return new BenchReport(config, machine, results);
    }

    private BenchResult measure(int batchSize, DataModule data, ModelConfig network, double ceilingGflops) {
        log.accept("batch " + batchSize + ": engine and pipeline steps, alternating");
        MemoryProbe.resetPeak();
        List<Double> engine = new ArrayList<>();
        List<Double> pipeline = new ArrayList<>();
        List<Double> inference = new ArrayList<>();
        try (Classifier model = new Classifier(network, OptimizerConfig.sgd(config.learningRate()), device);
                ai.djl.training.Trainer trainer = Trainer.newEngineTrainer(model,
                        Optimizers.create(model.optimizer(), 2 * (config.warmup() + config.steps())));
                NDManager manager = NDManager.newBaseManager(device)) {
            Engine.getInstance().setRandomSeed((int) config.seed());
            trainer.initialize(Networks.inputShape(network, 1));
            NDArray images = manager.randomUniform(0, 1, Networks.inputShape(network, batchSize));
            NDArray labels = manager.randomInteger(0, network.numClasses(),
                    new ai.djl.ndarray.types.Shape(batchSize), DataType.INT64);
            // engine and pipeline steps alternate, so that a machine that speeds up or slows down during the
            // measurement moves both alike: their ratio compares like with like
            try (DataModule sized = data.withBatchSize(batchSize);
                    BatchStream stream = sized.trainBatches(1, config.seed(), manager)) {
                for (int step = 0; step < config.warmup() + config.steps() && stream.hasNext(); step++) {
                    try (NDManager scratch = manager.newSubManager()) {
                        images.tempAttach(scratch);
                        labels.tempAttach(scratch);
                        long start = System.nanoTime();
                        Trainer.trainStep(trainer, new NDList(images), new NDList(labels));
                        if (step >= config.warmup()) {
                            engine.add((System.nanoTime() - start) / 1e9);
                        }
                    }
                    long start = System.nanoTime();
                    try (Batch batch = stream.next()) {
                        Trainer.trainStep(trainer, batch.getData(), batch.getLabels());
                    }
                    if (step >= config.warmup()) {
                        pipeline.add((System.nanoTime() - start) / 1e9);
                    }
                }
            }
            log.accept("batch " + batchSize + ": validation (inference) steps");
            for (int step = 0; step < config.warmup() + config.steps(); step++) {
                try (NDManager scratch = manager.newSubManager()) {
                    images.tempAttach(scratch);
                    long start = System.nanoTime();
                    model.infer(scratch, new NDList(images)).singletonOrThrow().getFloat(0, 0);
                    if (step >= config.warmup()) {
                        inference.add((System.nanoTime() - start) / 1e9);
                    }
                }
            }
        }
        return BenchResult.measured(batchSize, BenchResult.Spread.of(engine), BenchResult.Spread.of(pipeline),
                BenchResult.Spread.of(inference), NetworkAnalysis.of(network, 1).trainFlopsPerExample(),
                ceilingGflops, MemoryProbe.peakResidentBytes());
    }

    private double trainForAccuracy(int batchSize, float rate) {
        log.accept("batch " + batchSize + ": training " + config.trainEpochs() + " epochs at lr " + rate);
        RunConfig run = new RunConfig(config.model(), new DataConfig(config.dataDir(), batchSize,
                config.model().inputSize(), config.limit(), config.valLimit(), config.augmentation())
                        .withFolder(config.folder()).withChannels(config.channels()),
                RunConfig.book().training().withMaxEpochs(config.trainEpochs()).withSeed(config.seed()),
                OptimizerConfig.sgd(rate));
        // the book's four lines: model, data, trainer, fit
        try (DataModule data = DataModule.load(run.data());
                Classifier model = new Classifier(config.folder() != null ? data.fit(run.model()) : run.model(),
                        run.optimizer(), device)) {
            List<EpochMetrics> history = new Trainer(run.training()).fit(model, data);
            return history.get(history.size() - 1).valAccuracy();
        }
    }
}
