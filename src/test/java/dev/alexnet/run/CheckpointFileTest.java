package dev.alexnet.run;

import dev.alexnet.model.OptimizerConfig;
import dev.alexnet.data.Augmentation;
import dev.alexnet.io.AtomicFilesTest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.alexnet.data.DataConfig;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.Networks;
import dev.alexnet.model.Classifier;
import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.RunConfig;
import dev.alexnet.train.TrainLossPoint;
import dev.alexnet.train.TrainingConfig;
import dev.alexnet.train.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {

    // The file's format does not depend on the network: LeNet's checkpoint is 0.25 MB where AlexNet's is 86 MB.
    private static final ModelConfig SMALL = new ModelConfig(Networks.LENET, 10, 28);
    private static final RunConfig CONFIG = new RunConfig(SMALL,
            new DataConfig(Path.of("/data"), 16, 28, 100, 50, Augmentation.NONE), new TrainingConfig(3, 9, 5, null, 2),
            OptimizerConfig.sgd(0.01f));
    private static final TrainingState STATE = new TrainingState(1, 3, 10, 12.5, 48, 123456789L, 2.25, 16, 20,
            List.of(new EpochMetrics(1, 2.3, 2.2, 0.25, 100.5, 3.5, 0.3)),
            List.of(new TrainLossPoint(0.5, 2.31), new TrainLossPoint(1.0, 2.29)));

    @TempDir
    Path dir;

    private Classifier model;

    @BeforeEach
    void initializedModel() {
        Engine.getInstance().setRandomSeed(3);
        model = new Classifier(SMALL, OptimizerConfig.sgd(0.01f), Device.cpu());
        model.block().initialize(model.model().getNDManager(), DataType.FLOAT32, Networks.inputShape(SMALL, 1));
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        model.close();
    }

    @Test
    void roundTripKeepsStateConfigAndParameters() {
        Path file = dir.resolve("a.ckpt");
        CheckpointFile.write(file, CONFIG, STATE, model, null, "epoch_end");

        CheckpointFile.Loaded loaded = CheckpointFile.read(file);

        assertEquals(CONFIG, loaded.header().config());
        assertEquals(STATE, loaded.header().state());
        assertEquals(new CheckpointFile.OptimizerState("sgd", 0.01f, 0f, 10), loaded.header().optimizer());
        try (Classifier copy = new Classifier(SMALL, OptimizerConfig.sgd(0.01f), Device.cpu())) {
            loaded.loadInto(copy);
            assertArrayEquals(logits(model), logits(copy));
        }
    }

    @Test
    void aSealedCheckpointOfNonFiniteWeightsIsRefusedNamingTheParameter() {
        ai.djl.util.Pair<String, ai.djl.nn.Parameter> first = model.block().getParameters().get(0);
        NDArray weight = first.getValue().getArray();
        weight.set(new ai.djl.ndarray.index.NDIndex("0"), Float.NaN);
        Path file = dir.resolve("nan.ckpt");
        CheckpointFile.write(file, CONFIG, STATE, model, null, "epoch_end");

        CheckpointFile.Loaded loaded = CheckpointFile.read(file); // the seal holds: the NaN was written as such
        try (Classifier copy = new Classifier(SMALL, OptimizerConfig.sgd(0.01f), Device.cpu())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loaded.loadInto(copy));
            assertTrue(e.getMessage().contains("parameter " + first.getKey() + " holds NaN or infinite values"),
                    e.getMessage());
        }
    }

    @Test
    void truncatedCheckpointIsRefused() throws IOException {
        Path file = dir.resolve("a.ckpt");
        CheckpointFile.write(file, CONFIG, STATE, model, null, "epoch_end");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CheckpointFile.read(file));

        assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
    }

    @Test
    void alteredByteIsRefused() throws IOException {
        Path file = dir.resolve("a.ckpt");
        CheckpointFile.write(file, CONFIG, STATE, model, null, "epoch_end");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);

        assertThrows(IllegalArgumentException.class, () -> CheckpointFile.read(file));
    }

    @Test
    void otherFilesAreNotCheckpoints() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.ckpt"), "this is not a checkpoint at all, just some text");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CheckpointFile.read(file));

        assertTrue(e.getMessage().contains("not a checkpoint"), e.getMessage());
    }

    @Test
    void checkpointOfAnotherModelIsRefused() {
        Path file = dir.resolve("a.ckpt");
        CheckpointFile.write(file, CONFIG, STATE, model, null, "epoch_end");
        CheckpointFile.Loaded loaded = CheckpointFile.read(file);

        try (Classifier other = new Classifier(SMALL.withInputSize(32), OptimizerConfig.sgd(0.01f), Device.cpu())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loaded.loadInto(other));
            assertTrue(e.getMessage().contains("checkpoint of"), e.getMessage());
        }
    }

    @Test
    void fullDiskWhileWritingKeepsThePreviousCheckpoint() throws IOException {
        Path file = dir.resolve("a.ckpt");
        CheckpointFile.write(file, CONFIG, STATE, model, null, "epoch_end");
        byte[] before = Files.readAllBytes(file);

        TrainingState later = TrainingState.epochEnd(2, 20, STATE.history(), STATE.trainPoints());
        assertThrows(UncheckedIOException.class, () -> CheckpointFile.write(file, CONFIG, later, model, null, "epoch_end",
                out -> AtomicFilesTest.diskFullAfter(out, before.length / 2)));

        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(STATE, CheckpointFile.read(file).header().state());
    }

    @Test
    void pruningKeepsTheNewestAndTheBest() {
        Path run = dir;
        double[] accuracies = {0.5, 0.9, 0.6, 0.7};
        for (int epoch = 1; epoch <= accuracies.length; epoch++) {
            TrainingState state = new TrainingState(epoch, 0, epoch * 10L, 0, 0, 0, 0, 0, 0,
                    List.of(new EpochMetrics(epoch, 1, 1, accuracies[epoch - 1], 1, 1, 0.5)), List.of());
            Checkpoints.save(run, CONFIG, state, model, null, "epoch_end", 2);
        }

        List<String> names = Checkpoints.list(run).stream().map(p -> p.getFileName().toString()).toList();

        assertEquals(List.of("ckpt-e0002-s000000.ckpt", "ckpt-e0003-s000000.ckpt", "ckpt-e0004-s000000.ckpt"), names);
    }

    private static float[] logits(Classifier classifier) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList input = new NDList(manager.ones(Networks.inputShape(SMALL, 2)));
            ParameterStore store = new ParameterStore(manager, false);
            return classifier.block().forward(store, input, false).singletonOrThrow().toFloatArray();
        }
    }
}
