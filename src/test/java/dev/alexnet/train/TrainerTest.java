package dev.alexnet.train;

import dev.alexnet.model.Evaluation;
import dev.alexnet.model.Classifier;
import dev.alexnet.model.OptimizerConfig;
import dev.alexnet.testing.Configs;
import dev.alexnet.data.Augmentation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import dev.alexnet.data.BatchStream;
import dev.alexnet.data.DataConfig;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.Networks;
import dev.alexnet.run.RunDirectory;
import dev.alexnet.testing.IdxFixtures;
import dev.alexnet.testing.LossRecorder;
import dev.alexnet.run.SaveModelListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    // The smallest input the book's AlexNet accepts keeps these tests fast.
    private static final int SMALL = 65;
    private static final int STEPS = 40;

    @TempDir
    Path dir;

    // slow: 40 steps of the book's AlexNet, 6 to 36 s on 2 cores; EveryNetworkLearnsTest keeps a loss that falls in the fast tier
    @Test
    @org.junit.jupiter.api.Tag("slow")
    void lossFallsOnAFixedSmallBatch() throws IOException {
        IdxFixtures.patternFashionMnist(dir, 16, 16);
        LossRecorder recorder = new LossRecorder();
        try (FashionMnist data = FashionMnist.load(new DataConfig(dir, 16, SMALL, null, null, Augmentation.NONE));
                Classifier model = new Classifier(new ModelConfig(Networks.ALEXNET, 10, SMALL), OptimizerConfig.sgd(0.1f), Device.cpu())) {
            List<EpochMetrics> history = new Trainer(Configs.training(STEPS, 3), List.of(recorder)).fit(model, data);

            assertEquals(STEPS, history.size());
            assertEquals(STEPS, recorder.losses().size(), "one step per epoch: the whole set is one batch");
            // The book's AlexNet leaves its plateau at log(10) slowly, and dropout makes single steps
            // noisy, so compare averages of five steps, a margin well above that noise.
            assertTrue(recorder.mean(STEPS - 5, STEPS) < recorder.mean(0, 5) - 0.04,
                    "loss should fall: " + recorder.losses());
        }
    }

    @Test
    void savedModelPredictsExactlyAsTheTrainedOne() throws IOException {
        Path data = Files.createDirectory(dir.resolve("data"));
        Path run = dir.resolve("run");
        IdxFixtures.fakeFashionMnist(data, 32, 8, false);
        ModelConfig modelConfig = new ModelConfig(Networks.ALEXNET, 10, SMALL);
        DataConfig dataConfig = new DataConfig(data, 16, SMALL, null, null, Augmentation.NONE);
        TrainingConfig trainingConfig = Configs.training(1, 5);
        try (FashionMnist fashion = FashionMnist.load(dataConfig);
                Classifier trained = new Classifier(modelConfig, OptimizerConfig.sgd(0.01f), Device.cpu());
                NDManager manager = NDManager.newBaseManager()) {
            RunConfig config = new RunConfig(modelConfig, fashion.config(), trainingConfig, OptimizerConfig.sgd(0.01f));
            new Trainer(trainingConfig, List.of(new SaveModelListener(Files.createDirectories(run), config)))
                    .fit(trained, fashion);

            assertEquals(config, RunDirectory.readConfig(run));
            try (Classifier loaded = RunDirectory.loadModel(run, Device.cpu());
                    BatchStream batches = fashion.validationBatches(manager);
                    Batch batch = batches.next()) {
                assertArrayEquals(logits(trained, batch), logits(loaded, batch));
                Evaluation before = trained.evaluate(fashion.validationBatches(manager));
                Evaluation after = loaded.evaluate(fashion.validationBatches(manager));
                assertEquals(before, after);
            }
        }
    }

    @Test
    void everyFitStartsAFreshOptimizerAndSchedule() throws Exception {
        IdxFixtures.patternFashionMnist(dir, 16, 8);
        ModelConfig network = new ModelConfig(Networks.LENET_MODERN, 10, 28);
        OptimizerConfig adam = new OptimizerConfig("adam", 3e-3f, 0f, 2, true);
        TrainingConfig training = Configs.training(1, 11);
        try (FashionMnist data = FashionMnist.load(new DataConfig(dir, 8, 28, null, null, Augmentation.NONE));
                Classifier twice = new Classifier(network, adam, Device.cpu());
                Classifier once = new Classifier(network, adam, Device.cpu())) {
            new Trainer(training).fit(twice, data);
            java.io.ByteArrayOutputStream afterFirst = new java.io.ByteArrayOutputStream();
            twice.block().saveParameters(new java.io.DataOutputStream(afterFirst));
            new Trainer(training).fit(twice, data);

            // the same weights, fitted by a model that has never had an optimizer
            once.block().initialize(once.model().getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                    Networks.inputShape(network, 1));
            once.block().loadParameters(once.model().getNDManager(), new java.io.DataInputStream(
                    new java.io.ByteArrayInputStream(afterFirst.toByteArray())));
            new Trainer(training).fit(once, data);

            try (NDManager manager = NDManager.newBaseManager();
                    BatchStream batches = data.validationBatches(manager);
                    Batch batch = batches.next()) {
                assertArrayEquals(logits(once, batch), logits(twice, batch),
                        "a second fit starts Adam's moments, step counts and schedule anew");
            }
        }
    }

    @Test
    void loadingFromADirectoryWithoutAModelIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunDirectory.loadModel(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("not a model directory"), e.getMessage());
    }

    @Test
    void countsCorrectPredictions() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[][] {{0, 5, 1}, {3, 1, 0}, {0, 0, 9}});
            NDArray labels = manager.create(new long[] {1, 2, 2});
            assertEquals(2, Classifier.countCorrect(logits, labels));
        }
    }

    @Test
    void configsRefuseBadValues() {
        assertThrows(IllegalArgumentException.class, () -> Configs.training(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new DataConfig(null, 0, 224, null, null, Augmentation.NONE));
        assertThrows(IllegalArgumentException.class, () -> new DataConfig(null, 8, 224, 0, null, Augmentation.NONE));
        assertThrows(IllegalArgumentException.class, () -> OptimizerConfig.sgd(-1f));
        assertThrows(IllegalArgumentException.class, () -> OptimizerConfig.sgd(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> new OptimizerConfig("adam", 1e-3f, Float.NaN, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new OptimizerConfig("rmsprop", 1e-3f, 0, 0, false));
        RunConfig book = RunConfig.book();
        assertThrows(IllegalArgumentException.class,
                () -> new RunConfig(book.model().withInputSize(96), book.data(), book.training(), book.optimizer()));
    }

    private static float[] logits(Classifier model, Batch batch) {
        ParameterStore store = new ParameterStore(model.model().getNDManager(), false);
        return model.block().forward(store, batch.getData(), false).singletonOrThrow().toFloatArray();
    }
}
