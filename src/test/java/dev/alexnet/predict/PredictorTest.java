package dev.alexnet.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.model.Classifier;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.Networks;
import org.junit.jupiter.api.Test;

/** Inference at the batch that pays. */
class PredictorTest {

    @Test
    void defaultBatchIsTheFastestWithinTheBudget() {
        // alexnet at 224: 512 MiB over the first convolution's output and ReLU's, 2 x 96*54*54 floats = 239.7
        try (Classifier book = Classifier.forInference(new ModelConfig(Networks.ALEXNET, 10, 224), Device.cpu());
                Classifier small = Classifier.forInference(new ModelConfig(Networks.ALEXNET28, 10, 28), Device.cpu())) {
            assertEquals(239, new Predictor(book, FashionMnist.CLASS_NAMES).defaultBatchSize());
            // alexnet28's activations would allow thousands; images/s peaked at 256 (3,687 against 3,296 at 512)
            assertEquals(256, new Predictor(small, FashionMnist.CLASS_NAMES).defaultBatchSize());
        }
    }
}
