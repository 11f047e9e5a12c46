package dev.alexnet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import dev.alexnet.io.Digests;
import dev.alexnet.model.Classifier;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.Networks;
import dev.alexnet.model.OptimizerConfig;
import dev.alexnet.weights.ShippedModel;
import dev.alexnet.weights.WeightsFile;
import dev.alexnet.weights.WeightsFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network an executor JVM holds: known by its weights' content, not by where the file lies. */
class ExecutorModelTest {

    @TempDir
    Path dir;

    @Test
    void aNewVersionOfTheWeightsAtTheSamePathIsLoadedAsANewModel() throws Exception {
        Path weights = dir.resolve("model.safetensors");
        Files.copy(ShippedModel.FILE, weights);
        String first = Digests.sha256Hex(weights);
        ExecutorModel.Loaded shipped = ExecutorModel.acquire(weights, first);
        ExecutorModel.release(shipped);
        assertEquals("alexnet28", shipped.model().config().name());
        assertSame(shipped, ExecutorModel.acquire(weights, first), "the same weights are loaded once");
        ExecutorModel.release(shipped);

        // a new version shipped under the same name: another network altogether
        ModelConfig lenet = new ModelConfig(Networks.LENET, 10, 28);
        Engine.getInstance().setRandomSeed(3);
        try (Classifier model = new Classifier(lenet, OptimizerConfig.sgd(0.01f), Device.cpu())) {
            model.block().initialize(model.model().getNDManager(), DataType.FLOAT32, Networks.inputShape(lenet, 1));
            Path written = dir.resolve("next.safetensors");
            WeightsFile.export(model, written, WeightsFormat.SAFETENSORS);
            Files.move(written, weights, StandardCopyOption.REPLACE_EXISTING);
        }
        String second = Digests.sha256Hex(weights);
        ExecutorModel.Loaded replaced = ExecutorModel.acquire(weights, second);
        ExecutorModel.release(replaced);
        assertNotSame(shipped, replaced);
        assertEquals("lenet", replaced.model().config().name());
        assertTrue(!shipped.id().equals(replaced.id()), shipped.id() + " " + replaced.id());
    }

    @Test
    void weightsThatAreNotTheOnesTheDriverHashedAreRefused() throws Exception {
        Path weights = dir.resolve("model.safetensors");
        Files.copy(ShippedModel.FILE, weights);
        String other = "0".repeat(64);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ExecutorModel.acquire(weights, other));
        assertTrue(refused.getMessage().contains("not the ones the job was given"), refused.getMessage());
    }

    @Test
    void eachPartitionsRowsAreCountedOnceHoweverOftenItsTaskRan() {
        // partition 1 ran twice (a retried task, or a stage run again): its rows are the same both times
        long[] total = PredictPartition.total(List.of("0:1024:3", "1:1000:0", "2:17:17", "1:1000:0"));
        assertEquals(1024 + 1000 + 17, total[0]);
        assertEquals(3 + 17, total[1]);
    }
}
