package dev.alexnet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SGD as {@code torch.optim.SGD} computes it, with a learning-rate schedule, momentum and Nesterov's
 * form, whose momentum buffers and step counts a checkpoint saves and restores.
 *
 * <p>At each update, with gradient g, weight decay λ, momentum μ and rate r: {@code d = g + λ·w};
 * the buffer {@code b = d} at the first update, else {@code b = μ·b + d}; then {@code d = d + μ·b}
 * (Nesterov) or {@code d = b}; {@code w -= r·d}. The DJL PyTorch engine has no fused update for this
 * (its {@code nagUpdate} is not implemented and its SGD momentum follows MXNet's form, whose buffer
 * holds the rate), so it is written with DJL's in-place array operations.
 */
public final class StatefulSgd extends Optimizer implements StatefulOptimizer {

    private final ParameterTracker learningRate;
    private final float weightDecay;
    private final float momentum;
    private final boolean nesterov;
    private final Map<String, NDArray> buffers = new ConcurrentHashMap<>();
    private final Map<String, Integer> steps = new ConcurrentHashMap<>();

    /** SGD with the given schedule, weight decay (L2, added to the gradient), momentum and form. */
    public StatefulSgd(ParameterTracker learningRate, float weightDecay, float momentum, boolean nesterov) {
        super(Optimizer.sgd().setLearningRateTracker(learningRate));
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = steps.merge(parameterId, 1, Integer::sum);
        float rate = learningRate.getNewValue(parameterId, t);
        try (NDManager scratch = weight.getManager().newSubManager()) {
            NDArray direction = grad;
            // the momentum buffer must outlive the step; the gradient (zeroed below) and scratch arrays need not
            boolean kept = false;
            if (weightDecay > 0) {
                direction = owned(scratch, weight.mul(weightDecay)).addi(grad);
            }
            if (momentum > 0) {
                NDArray buffer = buffers.get(parameterId);
                if (buffer == null) {
                    buffer = direction.duplicate();
                    buffer.attach(weight.getManager());
                    buffers.put(parameterId, buffer);
                } else {
                    buffer.muli(momentum).addi(direction);
                }
                direction = nesterov ? owned(scratch, buffer.mul(momentum)).addi(direction) : buffer;
                kept = !nesterov;
            }
            // scaled in place where it may be: the same product without a new array the size of the parameter, whose
            // allocation cost more than the arithmetic (40 ms of the book's step on a 2-core AMD EPYC)
            weight.subi(kept ? owned(scratch, direction.mul(rate)) : direction.muli(rate));
        }
        // the engine's own updates leave the gradient zeroed for the next step's accumulation; so does this one
        JniUtils.zeroGrad((PtNDArray) weight);
    }

    private static NDArray owned(NDManager scratch, NDArray array) {
        array.attach(scratch);
        return array;
    }

    /** Returns a parameter's momentum buffer (an empty state without momentum), or {@code null} before its first update. */
    @Override
    public NDArray[] state(String parameterId) {
        if (!steps.containsKey(parameterId)) {
            return null;
        }
        NDArray buffer = buffers.get(parameterId);
        return buffer == null ? new NDArray[0] : new NDArray[] {buffer};
    }

    @Override
    public int steps(String parameterId) {
        return steps.getOrDefault(parameterId, 0);
    }

    @Override
    public void restore(String parameterId, NDArray[] arrays, int count) {
        int expected = momentum > 0 ? 1 : 0;
        if (arrays.length != expected) {
            throw new IllegalArgumentException("SGD " + (momentum > 0 ? "with" : "without") + " momentum keeps "
                    + expected + " arrays per parameter, the saved state has " + arrays.length);
        }
        if (expected == 1) {
            buffers.put(parameterId, arrays[0]);
        }
        steps.put(parameterId, count);
    }
}
