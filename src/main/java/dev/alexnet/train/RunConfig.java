package dev.alexnet.train;

import dev.alexnet.data.DataConfig;
import dev.alexnet.model.ModelConfig;

/**
 * Everything a training run was configured with; saved as {@code config.json} in the run directory
 * and read back to use the trained model.
 *
 * @param model the network
 * @param learningRate the SGD learning rate
 * @param data how the data was read and batched
 * @param training epochs and seed
 * @param optimizer the optimizer and its schedule ({@code null}: plain SGD at a constant rate)
 */
public record RunConfig(ModelConfig model, float learningRate, DataConfig data, TrainingConfig training,
        OptimizerConfig optimizer) {

    /** A run with the book's optimizer: plain SGD at a constant rate. */
    public RunConfig(ModelConfig model, float learningRate, DataConfig data, TrainingConfig training) {
        this(model, learningRate, data, training, OptimizerConfig.SGD);
    }

    /** Returns the optimizer, the book's when unset. */
    public OptimizerConfig optimizerOrSgd() {
        return optimizer == null ? OptimizerConfig.SGD : optimizer;
    }

    /** Checks every field, so that a bad configuration fails where it is made. */
    public RunConfig {
        if (model == null || data == null || training == null) {
            throw new IllegalArgumentException("model, data and training configuration are all required");
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
        }
        if (model.inputSize() != data.resize()) {
            throw new IllegalArgumentException("model input size " + model.inputSize()
                    + " differs from the data's resize " + data.resize());
        }
    }
}
