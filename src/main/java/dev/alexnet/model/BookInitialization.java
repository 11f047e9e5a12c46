package dev.alexnet.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.XavierInitializer;

/**
 * The book's parameter initialization ({@code d2l.init_cnn}) set on a block's layers.
 *
 * <p>Weights of convolutions and dense layers are Xavier-uniform, bound √(6 / (fan_in + fan_out)),
 * as {@code nn.init.xavier_uniform_}. The book leaves biases as PyTorch creates them: uniform in
 * ±1/√fan_in; DJL would start them at zero, so this class sets PyTorch's rule explicitly.
 */
public final class BookInitialization {

    // DJL's Xavier bound is √(magnitude / ((fan_in + fan_out) / 2)); magnitude 3 gives PyTorch's.
    private static final float XAVIER_MAGNITUDE = 3f;

    private BookInitialization() {}

    /** Sets the book's initializers on every convolution and dense layer directly inside {@code block}. */
    public static void apply(Block block) {
        for (Block layer : block.getChildren().values()) {
            if (layer instanceof Convolution || layer instanceof Linear) {
                Parameter weight = layer.getParameters().get("weight");
                Parameter bias = layer.getParameters().get("bias");
                weight.setInitializer(
                        new XavierInitializer(
                                XavierInitializer.RandomType.UNIFORM,
                                XavierInitializer.FactorType.AVG,
                                XAVIER_MAGNITUDE));
                if (bias != null) {
                    bias.setInitializer(new FanInUniformInitializer(weight));
                }
            } else if (!layer.getChildren().isEmpty()) {
                apply(layer);
            }
        }
    }
}
