package dev.alexnet.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fast execution (images channels-last, max pooling before ReLU) computes the book's function
 * with the book's gradients: outputs, gradients of every parameter and of the input are compared
 * with the layers run one by one in the listed order on the plain NCHW batch, on the same weights.
 * Convolutions in another layout sum in another order, so values agree up to float32 rounding:
 * each array within 1e-5 of its own largest magnitude — except the gradient of a bias right before
 * batch normalization, which is zero in truth (normalization removes any constant) and is computed as
 * rounding noise: both runs must find it below 1e-3 of its layer's weight gradient.
 */
class FastSequentialBlockTest {

    @ParameterizedTest
    @ValueSource(strings = {"alexnet", "alexnet-nodropout", "alexnet-small", "alexnet28", "lenet-modern"})
    void sameOutputsAndGradientsAsThePlainOrder(String name) {
        ModelConfig config = new ModelConfig(name, 10, name.startsWith("alexnet-") || name.equals("alexnet") ? 67
                : Networks.naturalInputSize(name));
        boolean training = true;
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            SequentialBlock network = Networks.build(config);
            assertTrue(network instanceof FastSequentialBlock);
            network.initialize(manager, DataType.FLOAT32, Networks.inputShape(config, 1));
            // Centred inputs, so that many windows hold only negative values after the first layer.
            NDArray input = manager.randomUniform(-1, 1, Networks.inputShape(config, 3));
            NDArray outputWeights = manager.randomNormal(new ai.djl.ndarray.types.Shape(3, 10));

            Run optimised = run(network, input, outputWeights, training,
                    x -> network.forward(new ParameterStore(manager, false), new NDList(x), training));
            Run plain = run(network, input, outputWeights, training, x -> {
                NDList current = new NDList(x);
                for (Block layer : network.getChildren().values()) {
                    current = layer.forward(new ParameterStore(manager, false), current, training);
                }
                return current;
            });

            assertClose(plain.output, optimised.output, largest(plain.output), "output");
            assertClose(plain.inputGradient, optimised.inputGradient, largest(plain.inputGradient), "input gradient");
            List<Scale> scales = scales(network);
            assertEquals(scales.size(), plain.parameterGradients.size());
            assertEquals(plain.parameterGradients.size(), optimised.parameterGradients.size());
            for (int i = 0; i < plain.parameterGradients.size(); i++) {
                float[] expected = plain.parameterGradients.get(i);
                Scale scale = scales.get(i);
                if (scale.zeroBeside() >= 0) {
                    // a bias right before batch normalization: its true gradient is zero, computed as rounding
                    // noise of sums of terms the size of its layer's weight gradient
                    float weights = largest(plain.parameterGradients.get(scale.zeroBeside()));
                    assertTrue(largest(expected) <= 1e-3f * weights && largest(optimised.parameterGradients.get(i))
                            <= 1e-3f * weights, scale.name() + " should be zero up to rounding");
                } else {
                    assertClose(expected, optimised.parameterGradients.get(i), largest(expected),
                            "gradient of " + scale.name());
                }
            }
            assertTrue(nonZero(optimised.inputGradient), "the test is not vacuous: gradients reach the input");
        }
    }

    private record Run(float[] output, float[] inputGradient, List<float[]> parameterGradients) {}

    /**
     * How a parameter's gradient is compared: by its name, and for a bias right before batch
     * normalization, the index of its layer's weight (otherwise -1).
     */
    private record Scale(String name, int zeroBeside) {}

    /** The parameters with gradients, in the order {@link #run} lists their gradients. */
    private static List<Scale> scales(SequentialBlock network) {
        List<Scale> scales = new ArrayList<>();
        List<Block> layers = network.getChildren().values();
        for (int j = 0; j < layers.size(); j++) {
            boolean beforeNorm = j + 1 < layers.size() && layers.get(j + 1) instanceof ai.djl.nn.norm.BatchNorm;
            int weight = -1;
            for (var entry : layers.get(j).getParameters()) {
                if (!entry.getValue().requiresGradient()) {
                    continue;
                }
                String name = "layer " + j + " " + entry.getKey();
                if (entry.getKey().endsWith("weight")) {
                    weight = scales.size();
                }
                boolean zero = beforeNorm && entry.getKey().endsWith("bias") && weight >= 0;
                scales.add(new Scale(name, zero ? weight : -1));
            }
        }
        return scales;
    }

    private static Run run(SequentialBlock network, NDArray input, NDArray outputWeights, boolean training,
            Function<NDArray, NDList> forward) {
        // Both runs draw the same dropout masks: the same seed, the same draws in the same order.
        Engine.getInstance().setRandomSeed(11);
        NDArray x = input.duplicate();
        x.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray output = forward.apply(x).singletonOrThrow();
            collector.backward(output.mul(outputWeights).sum());
            List<float[]> gradients = new ArrayList<>();
            for (Parameter parameter : network.getParameters().values()) {
                if (parameter.requiresGradient()) {
                    gradients.add(parameter.getArray().getGradient().toFloatArray());
                }
            }
            Run run = new Run(output.toFloatArray(), x.getGradient().toFloatArray(), gradients);
            collector.zeroGradients();
            return run;
        }
    }

    /** Asserts that the arrays agree within float32 rounding: 1e-5 of {@code scale}. */
    private static void assertClose(float[] expected, float[] actual, float scale, String what) {
        assertTrue(scale > 0, what + ": a zero scale would make the comparison vacuous");
        assertArrayEquals(expected, actual, 1e-5f * scale, what);
    }

    private static float largest(float[] values) {
        float largest = 0;
        for (float value : values) {
            largest = Math.max(largest, Math.abs(value));
        }
        return largest;
    }

    private static boolean nonZero(float[] values) {
        for (float value : values) {
            if (value != 0) {
                return true;
            }
        }
        return false;
    }
}
