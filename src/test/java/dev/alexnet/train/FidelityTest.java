package dev.alexnet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.tracker.Tracker;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.alexnet.model.Classifier;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.Networks;
import dev.alexnet.model.OptimizerConfig;
import dev.alexnet.weights.TorchNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * This project's training steps against PyTorch's, from fixtures that {@code python/fidelity.py}
 * wrote with torch (Debian's python3-torch): the same networks, the same initial weights and batch
 * (fixed formulas of their indices, computed here as there), the same optimizer and schedule; the
 * losses of every step, the learning rate of every step, and the weights after the last step must
 * agree.
 *
 * <p>Tolerances: both sides compute in float32 with different kernels (summation order in
 * convolutions, matrix products and reductions differs), so results agree to float rounding, which
 * a few steps amplify a little: losses to 2e-4 (the issue asked for 2e-3), learning rates to 1e-6
 * relative (DJL's schedules compute in float), weights to 2e-4 plus 1% of how far the step moved
 * them from their initial values. Checked by breaking the code on purpose: the earlier Adam's ε fails
 * all four Adam cases (AlexNet's second loss 2.2786 against torch's 2.2877), AdamW's decay applied as
 * L2 fails the AdamW case (second loss 2.2787 against 2.2840).
 */
// slow: 13 PyTorch fixtures, AlexNet among them, 5 to 30 s on 2 cores (busy or not); bin/test runs it, bin/test --fast does not
@org.junit.jupiter.api.Tag("slow")
class FidelityTest {

    private static final Path FIXTURES = Path.of("src/test/resources/fidelity");

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> files = Files.list(FIXTURES)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void trainingStepsEqualPyTorchs(String fixture) throws IOException {
        JsonObject expected = JsonParser.parseString(Files.readString(FIXTURES.resolve(fixture))).getAsJsonObject();
        String network = expected.get("network").getAsString();
        int input = expected.get("input").getAsInt();
        int size = expected.get("batch").getAsInt();
        int steps = expected.get("steps").getAsInt();
        JsonObject o = expected.getAsJsonObject("optimizer");
        // momentum, nesterov and labelSmoothing appear only in the fixtures that use them
        OptimizerConfig optimizer = new OptimizerConfig(o.get("name").getAsString(), o.get("learningRate").getAsFloat(),
                o.get("weightDecay").getAsFloat(), o.get("warmupSteps").getAsInt(), o.get("cosine").getAsBoolean(),
                o.has("momentum") ? o.get("momentum").getAsFloat() : 0f,
                o.has("nesterov") && o.get("nesterov").getAsBoolean(),
                o.has("labelSmoothing") ? o.get("labelSmoothing").getAsFloat() : 0f);

        Tracker schedule = Optimizers.schedule(optimizer, steps);
        JsonArray rates = expected.getAsJsonArray("rates");
        for (int t = 1; t <= steps; t++) {
            double torchRate = rates.get(t - 1).getAsDouble();
            assertEquals(torchRate, schedule.getNewValue(t), 1e-6 * torchRate + 1e-12, "rate at update " + t);
        }

        // a fixture with "poolAt" runs the network built for that size, its adaptive pool in front of the dense layers
        SequentialBlock block = network.equals("batchnorm") ? batchNormNet()
                : expected.has("poolAt")
                        ? Networks.build(new ModelConfig(network, 10, expected.get("poolAt").getAsInt()).withAdaptivePool(true))
                        : Networks.build(new ModelConfig(network, 10, input));
        Shape inputShape = new Shape(size, 1, input, input);
        try (Model model = Model.newInstance(fixture, Device.cpu());
                NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Classifier.trainingLoss(optimizer))
                    .optOptimizer(Optimizers.create(optimizer, steps)).optDevices(new Device[] {Device.cpu()});
            try (ai.djl.training.Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(inputShape);
                List<TorchNames.Entry> names = TorchNames.of(block);
                Map<String, float[]> initial = new java.util.HashMap<>();
                int position = 0;
                for (TorchNames.Entry entry : names) {
                    if (entry.parameter() == null) {
                        continue;
                    }
                    float[] values = initialValues(entry.name(), entry.shape(), position++);
                    entry.parameter().getArray().set(values);
                    initial.put(entry.name(), values);
                }
                NDList images = new NDList(manager.create(batchImages(size, input), inputShape));
                NDList labels = new NDList(manager.create(batchLabels(size)));

                List<Float> losses = new ArrayList<>();
                for (int step = 0; step < steps; step++) {
                    try (NDManager scratch = manager.newSubManager()) {
                        images.head().tempAttach(scratch);
                        labels.head().tempAttach(scratch);
                        losses.add(Trainer.trainStep(trainer, images, labels).loss());
                    }
                }

                JsonArray torchLosses = expected.getAsJsonArray("losses");
                for (int i = 0; i < steps; i++) {
                    assertEquals(torchLosses.get(i).getAsDouble(), losses.get(i), 2e-4,
                            "loss of step " + (i + 1) + ": torch " + torchLosses + ", here " + losses);
                }
                JsonObject tensors = expected.getAsJsonObject("tensors");
                for (TorchNames.Entry entry : names) {
                    if (entry.parameter() == null) {
                        continue;
                    }
                    JsonArray torchFirst = tensors.getAsJsonObject(entry.name()).getAsJsonArray("first");
                    float[] now = entry.parameter().getArray().toFloatArray();
                    float[] before = initial.get(entry.name());
                    for (int i = 0; i < torchFirst.size(); i++) {
                        double torchValue = torchFirst.get(i).getAsDouble();
                        double moved = Math.abs(torchValue - before[i]);
                        assertEquals(torchValue, now[i], 2e-4 + 0.01 * moved,
                                entry.name() + "[" + i + "] after " + steps + " steps (moved " + moved + ")");
                    }
                    double torchSum = tensors.getAsJsonObject(entry.name()).get("sumAbs").getAsDouble();
                    double sum = 0;
                    for (float v : now) {
                        sum += Math.abs(v);
                    }
                    assertTrue(Math.abs(torchSum - sum) <= 1e-3 * torchSum + 1e-4,
                            entry.name() + ": sum of |w| torch " + torchSum + ", here " + sum);
                }
            }
        }
    }

    /** The twin of fidelity.py's BatchNormNet. */
    private static SequentialBlock batchNormNet() {
        return new SequentialBlock()
                .add(Conv2d.builder().setFilters(8).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(10).build());
    }

    /** fidelity.py's init_value, term for term. */
    static float[] initialValues(String name, Shape shape, int position) {
        int n = (int) shape.size();
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            double wave = Math.sin(0.731 * i + 0.5 * position + 0.1);
            double value;
            if (name.endsWith("running_mean")) {
                value = 0;
            } else if (name.endsWith("running_var")) {
                value = 1;
            } else if (shape.dimension() == 1 && name.endsWith("weight")) {
                value = 1 + 0.1 * wave;
            } else if (shape.dimension() == 1) {
                value = 0.1 * wave;
            } else {
                value = wave / Math.sqrt((double) n / shape.get(0));
            }
            values[i] = (float) value;
        }
        return values;
    }

    /** fidelity.py's batch: image n has label n % 10. */
    static float[] batchImages(int size, int side) {
        float[] x = new float[size * side * side];
        for (int n = 0; n < size; n++) {
            for (int h = 0; h < side; h++) {
                for (int w = 0; w < side; w++) {
                    x[(n * side + h) * side + w] = (float) (0.5 + 0.5 * Math.sin(0.37 * (n % 10) + 0.11 * h * (1 + n % 3)
                            + 0.07 * w));
                }
            }
        }
        return x;
    }

    static long[] batchLabels(int size) {
        long[] y = new long[size];
        for (int n = 0; n < size; n++) {
            y[n] = n % 10;
        }
        return y;
    }
}
