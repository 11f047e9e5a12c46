package dev.alexnet.train;

import dev.alexnet.model.Classifier;
import dev.alexnet.model.OptimizerConfig;
import dev.alexnet.testing.Configs;
import dev.alexnet.data.Augmentation;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.alexnet.data.DataConfig;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.testing.IdxFixtures;
import dev.alexnet.testing.LossRecorder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each network's loss falls over a few steps on one fixed batch. The book's AlexNet is {@code
 * TrainerTest.lossFallsOnAFixedSmallBatch}; alexnet-nodropout is that network less its two dropout
 * layers (NetworksTest), so training it too would check the same thing at the same cost again.
 */
class EveryNetworkLearnsTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"alexnet-small, 112, 0.05, 30", "alexnet28, 28, 0.05, 20",
        "lenet, 28, 0.9, 40", "lenet-modern, 28, 0.3, 30"})
    void lossFallsOnAFixedBatch(String name, int size, float rate, int steps) throws IOException {
        IdxFixtures.patternFashionMnist(dir, 16, 16);
        LossRecorder recorder = new LossRecorder();
        try (FashionMnist data = FashionMnist.load(new DataConfig(dir, 16, size, null, null, Augmentation.NONE));
                Classifier model = new Classifier(new ModelConfig(name, 10, size), OptimizerConfig.sgd(rate), Device.cpu())) {
            new Trainer(Configs.training(steps, 5), List.of(recorder)).fit(model, data);
        }
        assertTrue(recorder.mean(steps - 5, steps) < recorder.mean(0, 5) - 0.04,
                name + " loss should fall: " + recorder.losses());
    }
}
