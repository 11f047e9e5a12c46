package dev.alexnet.train;

import dev.alexnet.model.Classifier;
import dev.alexnet.model.OptimizerConfig;
import dev.alexnet.testing.Configs;
import dev.alexnet.data.Augmentation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.alexnet.data.DataConfig;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.Networks;
import dev.alexnet.testing.IdxFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop's guards: no leaked arrays, and a stop on a non-finite loss. */
class TrainerSafetyTest {

    @TempDir
    Path dir;

    @Test
    void liveArrayCountDoesNotGrowPerStep() throws IOException {
        IdxFixtures.patternFashionMnist(dir, 64, 8);
        List<Integer> counts = new ArrayList<>();
        // alexnet28: the same FastSequentialBlock as the book's AlexNet, with batch norm's running statistics too
        try (FashionMnist data = FashionMnist.load(new DataConfig(dir, 8, 28, null, null, Augmentation.NONE));
                Classifier model = new Classifier(new ModelConfig(Networks.ALEXNET28, 10, 28), OptimizerConfig.sgd(0.01f), Device.cpu())) {
            TrainingListener counter = new TrainingListener() {
                @Override
                public void onStep(StepReport step) {
                    counts.add(MemoryProbe.liveArrays(model.model().getNDManager()));
                }
            };
            new Trainer(Configs.training(3, 1), List.of(counter)).fit(model, data);
        }

        assertEquals(24, counts.size());
        // after the first step has created the gradients, every step leaves exactly as many arrays
        int settled = counts.get(1);
        assertTrue(settled > 0);
        for (int i = 1; i < counts.size(); i++) {
            assertEquals(settled, counts.get(i), "live arrays after step " + (i + 1) + ": " + counts);
        }
    }

    @Test
    void nonFiniteLossStopsTheRunNamingTheStep() throws IOException {
        IdxFixtures.patternFashionMnist(dir, 64, 8);
        List<TrainingListener.CheckpointReason> checkpoints = new ArrayList<>();
        List<RuntimeException> aborted = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onCheckpoint(TrainingState state, Classifier model, ai.djl.training.optimizer.Optimizer optimizer,
                    CheckpointReason reason) {
                checkpoints.add(reason);
            }

            @Override
            public void onFitAborted(RuntimeException cause) {
                aborted.add(cause);
            }
        };
        try (FashionMnist data = FashionMnist.load(new DataConfig(dir, 8, 65, null, null, Augmentation.NONE));
                Classifier model = new Classifier(new ModelConfig(Networks.ALEXNET, 10, 65), OptimizerConfig.sgd(1e4f), Device.cpu())) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> new Trainer(Configs.training(3, 1), List.of(recorder)).fit(model, data));

            assertTrue(e.getMessage().matches("training diverged: the loss is (NaN|Infinity|-Infinity) at epoch 1, step \\d+.*"),
                    e.getMessage());
            assertEquals(0, e.lastGood().epochsDone());
            assertTrue(checkpoints.isEmpty(), "no checkpoint of diverged weights: " + checkpoints);
            assertEquals(List.of(e), aborted);
        }
    }
}
