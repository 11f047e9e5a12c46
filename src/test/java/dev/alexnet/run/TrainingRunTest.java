package dev.alexnet.run;

import dev.alexnet.model.OptimizerConfig;
import dev.alexnet.data.Augmentation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.alexnet.data.DataConfig;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.Networks;
import dev.alexnet.testing.IdxFixtures;
import dev.alexnet.train.Compute;
import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.RunConfig;
import dev.alexnet.train.StepReport;
import dev.alexnet.train.TrainingConfig;
import dev.alexnet.train.TrainingListener;
import dev.alexnet.train.TrainingStoppedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs that stop and resume end exactly where uninterrupted runs end. */
class TrainingRunTest {

    @TempDir
    Path dir;

    private Path data;
    private int threadsBefore;

    @BeforeEach
    void singleThreaded() throws IOException {
        data = IdxFixtures.patternFashionMnist(Files.createDirectory(dir.resolve("data")), 40, 12);
        threadsBefore = Compute.threads();
        // One thread makes the engine's float sums deterministic, so runs can be compared exactly.
        Compute.useThreads(1);
    }

    @AfterEach
    void restoreThreads() {
        Compute.useThreads(threadsBefore);
    }

    private RunConfig config(int epochs) {
        // a small network with dropout: the machinery, not the network, is under test
        return new RunConfig(new ModelConfig(Networks.LENET_MODERN, 10, 28),
                new DataConfig(data, 8, 28, null, null, Augmentation.NONE), new TrainingConfig(epochs, 17, 3, null, 2),
                OptimizerConfig.sgd(0.05f));
    }

    private RunConfig adamConfig(int epochs) {
        // Adam's moments, a warm-up and a cosine schedule: all state a resumed run must get back
        return new RunConfig(new ModelConfig(Networks.ALEXNET28, 10, 28),
                new DataConfig(data, 8, 28, null, null, dev.alexnet.data.Augmentation.parse("flip,crop,color")),
                new TrainingConfig(epochs, 17, 3, null, 2), new OptimizerConfig("adam", 0.003f, 5e-4f, 4, true));
    }

    @Test
    void stoppedAndResumedRunEndsAsTheUninterruptedOne() throws IOException {
        compareStoppedAndStraight(config(2));
    }

    @Test
    void adamWithScheduleAndAugmentationResumesExactlyToo() throws IOException {
        compareStoppedAndStraight(adamConfig(2));
    }

    @Test
    void sgdWithNesterovMomentumScheduleAndLabelSmoothingResumesExactlyToo() throws IOException {
        // the momentum buffers and the schedule's step counts are the state here
        compareStoppedAndStraight(config(2).withOptimizer(new OptimizerConfig("sgd", 0.05f, 5e-4f, 4, true, 0.9f, true, 0.1f)));
    }

    @Test
    void aResizeScheduleResumesExactlyToo() throws IOException {
        // stopped in epoch 2 of 14:2,28:1: the resumed run must finish that epoch at 14x14, then train at 28x28
        RunConfig scheduled = config(3).withResizeSchedule(dev.alexnet.data.ResizeSchedule.parse("14:2,28:1"));
        compareStoppedAndStraight(scheduled);

        List<Integer> sizes = MetricsFile.read(dir.resolve("stopped")).epochs().stream().map(EpochMetrics::trainSize).toList();
        assertEquals(List.of(14, 14, 28), sizes, "the sizes the epochs trained at, as metrics.csv records them");
    }

    private void compareStoppedAndStraight(RunConfig runConfig) throws IOException {
        List<EpochMetrics> straight;
        float[][] straightWeights;
        try (TrainingRun run = TrainingRun.create(runConfig, dir.resolve("straight"), null, Device.cpu(), w -> { })) {
            straight = run.fit(List.of());
            straightWeights = weights(run);
        }

        Path stopped = dir.resolve("stopped");
        try (TrainingRun run = TrainingRun.create(runConfig, stopped, null, Device.cpu(), w -> { })) {
            // stop in the middle of epoch 2 (5 steps per epoch), between interval checkpoints
            TrainingListener stopAtStep7 = new TrainingListener() {
                private int steps;

                @Override
                public void onStep(StepReport step) {
                    if (++steps == 7) {
                        run.requestStop();
                    }
                }
            };
            TrainingStoppedException e = assertThrows(TrainingStoppedException.class, () -> run.fit(List.of(stopAtStep7)));
            assertEquals(1, e.state().epochsDone());
            assertEquals(2, e.state().stepInEpoch());
        }
        List<EpochMetrics> resumed;
        float[][] resumedWeights;
        try (TrainingRun run = TrainingRun.resume(stopped, null, null, Device.cpu(), w -> { })) {
            assertEquals(7, run.start().globalStep());
            resumed = run.fit(List.of());
            resumedWeights = weights(run);
        }

        assertEquals(straight.size(), resumed.size());
        for (int i = 0; i < straight.size(); i++) {
            assertEquals(straight.get(i).trainLoss(), resumed.get(i).trainLoss(), 1e-9, "epoch " + (i + 1));
            assertEquals(straight.get(i).valLoss(), resumed.get(i).valLoss(), 1e-9);
            assertEquals(straight.get(i).valAccuracy(), resumed.get(i).valAccuracy(), 1e-12);
        }
        for (int i = 0; i < straightWeights.length; i++) {
            assertArrayEquals(straightWeights[i], resumedWeights[i], 1e-5f, "parameter " + i);
        }
        assertEquals(withoutTimings(dir.resolve("straight").resolve("metrics.csv")),
                withoutTimings(stopped.resolve("metrics.csv")));
        String manifest = Files.readString(stopped.resolve(Manifest.FILE));
        assertTrue(manifest.contains("\"status\": \"completed\""), manifest);
        assertTrue(manifest.contains("\"resumedAt\": [\n    \""), manifest);
    }

    @Test
    void killedRunResumesFromTheNewestValidCheckpointSkippingACorruptOne() throws IOException {
        Path run = dir.resolve("run");
        try (TrainingRun training = TrainingRun.create(config(2), run, null, Device.cpu(), w -> { })) {
            training.fit(List.of());
        }
        List<Path> checkpoints = Checkpoints.list(run);
        Path newest = checkpoints.get(checkpoints.size() - 1);
        byte[] bytes = Files.readAllBytes(newest);
        // a kill while copying, or a bad disk: the newest file is cut short
        Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length - 1000));

        List<String> warnings = new ArrayList<>();
        try (TrainingRun resumed = TrainingRun.resume(run, null, null, Device.cpu(), warnings::add)) {
            Path older = checkpoints.get(checkpoints.size() - 2);
            assertEquals(CheckpointFile.read(older).header().state(), resumed.start());
        }
        List<String> skipped = warnings.stream().filter(w -> w.startsWith("skipping")).toList();
        assertEquals(1, skipped.size(), warnings.toString());
        assertTrue(skipped.get(0).contains(newest.getFileName().toString()), skipped.get(0));
    }

    @Test
    void refusesToOverwriteAnExistingRun() throws IOException {
        Path run = dir.resolve("run");
        try (TrainingRun training = TrainingRun.create(config(1), run, null, Device.cpu(), w -> { })) {
            training.fit(List.of());
        }
        byte[] configBefore = Files.readAllBytes(run.resolve(RunDirectory.CONFIG_FILE));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingRun.create(config(1), run, null, Device.cpu(), w -> { }));

        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
        assertArrayEquals(configBefore, Files.readAllBytes(run.resolve(RunDirectory.CONFIG_FILE)));
    }

    private static float[][] weights(TrainingRun run) {
        List<float[]> arrays = new ArrayList<>();
        for (Pair<String, Parameter> parameter : run.model().block().getParameters()) {
            arrays.add(parameter.getValue().getArray().toFloatArray());
        }
        return arrays.toArray(new float[0][]);
    }

    /** Returns the CSV without its images/s and seconds columns, which measure time. */
    private static List<String> withoutTimings(Path csv) throws IOException {
        return Files.readAllLines(csv).stream().map(line -> {
            String[] cells = line.split(",", -1);
            return String.join(",", java.util.Arrays.copyOf(cells, 6));
        }).toList();
    }
}
