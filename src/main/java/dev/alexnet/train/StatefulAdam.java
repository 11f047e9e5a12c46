package dev.alexnet.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adam as {@code torch.optim.Adam} computes it (or, with decoupled weight decay, as
 * {@code torch.optim.AdamW}), whose moment estimates and step counts can be saved and restored, so
 * a resumed run continues exactly; the update itself is DJL's fused {@code adamUpdate}.
 *
 * <p>At step t PyTorch updates {@code w -= lr·m̂ / (√v̂ + ε)} with {@code m̂ = m/(1−β1ᵗ)} and
 * {@code v̂ = v/(1−β2ᵗ)}. DJL's fused update computes {@code w -= c·m / (√v + ε')}; with
 * {@code c = lr·√(1−β2ᵗ)/(1−β1ᵗ)} and {@code ε' = ε·√(1−β2ᵗ)} the two are the same expression. (Before,
 * ε' was ε, which made ε effectively 1/√(1−β2ᵗ) times larger than PyTorch's: 31.6× at the first step.)
 * L2 weight decay is added to the gradient, as torch's Adam does; decoupled decay shrinks the weights
 * by {@code lr·wd} first, as torch's AdamW does. DJL's own {@code Adam} keeps its state private,
 * which would make a checkpoint lose it.
 */
public final class StatefulAdam extends Optimizer implements StatefulOptimizer {

    private final ParameterTracker learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final boolean decoupledWeightDecay;
    private final Map<String, NDArray> means = new ConcurrentHashMap<>();
    private final Map<String, NDArray> variances = new ConcurrentHashMap<>();
    private final Map<String, Integer> steps = new ConcurrentHashMap<>();

    /**
     * Adam with the given learning-rate schedule and weight decay; betas 0.9/0.999, epsilon 1e-8,
     * torch's defaults. {@code decoupled} makes it AdamW.
     */
    public StatefulAdam(ParameterTracker learningRate, float weightDecay, boolean decoupled) {
        super(Optimizer.adam().optWeightDecays(weightDecay));
        this.learningRate = learningRate;
        this.beta1 = 0.9f;
        this.beta2 = 0.999f;
        this.epsilon = 1e-8f;
        this.decoupledWeightDecay = decoupled;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = steps.merge(parameterId, 1, Integer::sum);
        double coef1 = 1.0 - Math.pow(beta1, t);
        double coef2 = 1.0 - Math.pow(beta2, t);
        float rate = learningRate.getNewValue(parameterId, t);
        float biasCorrected = (float) (rate * Math.sqrt(coef2) / coef1);
        // torch divides by √v̂ + ε = (√v + ε·√(1−β2ᵗ)) / √(1−β2ᵗ): the same ε, scaled into the fused form
        float scaledEpsilon = (float) (epsilon * Math.sqrt(coef2));
        NDArray mean = means.computeIfAbsent(parameterId, k -> weight.zerosLike());
        NDArray variance = variances.computeIfAbsent(parameterId, k -> weight.zerosLike());
        weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, mean, variance), new NDList(weight), rate,
                biasCorrected, getWeightDecay(), rescaleGrad, clipGrad, beta1, beta2, scaledEpsilon, true,
                decoupledWeightDecay);
    }

    /** Returns the first-moment and second-moment estimates of a parameter, or {@code null} before its first update. */
    @Override
    public NDArray[] state(String parameterId) {
        NDArray mean = means.get(parameterId);
        return mean == null ? null : new NDArray[] {mean, variances.get(parameterId)};
    }

    @Override
    public int steps(String parameterId) {
        return steps.getOrDefault(parameterId, 0);
    }

    @Override
    public void restore(String parameterId, NDArray[] arrays, int count) {
        if (arrays.length != 2) {
            throw new IllegalArgumentException("Adam keeps two moment estimates per parameter, the saved state has "
                    + arrays.length + " arrays");
        }
        means.put(parameterId, arrays[0]);
        variances.put(parameterId, arrays[1]);
        steps.put(parameterId, count);
    }
}
