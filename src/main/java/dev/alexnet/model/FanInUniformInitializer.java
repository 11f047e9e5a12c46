package dev.alexnet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

/**
 * PyTorch's default bias initialization: uniform in ±1/√fan_in of the layer's weight.
 *
 * <p>A bias alone does not know its layer's fan-in, so this initializer reads it from the weight
 * parameter, whose shape the layer has set by the time its parameters are initialized.
 */
final class FanInUniformInitializer implements Initializer {

    private final Parameter weight;

    FanInUniformInitializer(Parameter weight) {
        this.weight = weight;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        Shape weightShape = weight.getShape();
        long fanIn = weightShape.size() / weightShape.get(0);
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        return manager.randomUniform(-bound, bound, shape, dataType, manager.getDevice());
    }
}
