package dev.alexnet.weights;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import dev.alexnet.model.AdaptiveAvgPool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The names PyTorch gives our networks' tensors: the chapter's models keep their layers in an
 * {@code nn.Sequential} called {@code net}, so the convolution at index 0 owns {@code net.0.weight}
 * and {@code net.0.bias}, the first dense layer of AlexNet {@code net.14.weight}, and so on.
 *
 * <p>Our networks are {@link SequentialBlock}s with the same layers in the same order, so a
 * layer's index is its index in the block. Layouts already agree: DJL, like PyTorch, stores
 * convolution weights as (out, in, kh, kw) and dense weights as (out, in). Batch normalization
 * differs only in names (gamma/beta/runningMean/runningVar are PyTorch's
 * weight/bias/running_mean/running_var), and PyTorch keeps one more buffer, {@code
 * num_batches_tracked}, that DJL has no use for.
 *
 * <p>An {@link AdaptiveAvgPool} that a network trained with a resize schedule holds before its first dense layer
 * is not in the chapter's model: it takes no index, so such a network's tensors have the book's names (and the
 * pool, an identity at the input size the network was built for, leaves the book's function).
 */
public final class TorchNames {

    /** The sequential's attribute name in the chapter's models. */
    public static final String PREFIX = "net.";

    /** PyTorch's batch-norm step counter: in its state dict, not among DJL's parameters. */
    public static final String BATCHES_TRACKED = "num_batches_tracked";

    private static final Map<String, String> DJL_TO_TORCH = Map.of(
            "weight", "weight",
            "bias", "bias",
            "gamma", "weight",
            "beta", "bias",
            "runningMean", "running_mean",
            "runningVar", "running_var");

    /**
     * One tensor of a network's PyTorch state dict.
     *
     * @param name PyTorch's name, {@code net.<index>.<field>}
     * @param parameter the DJL parameter that holds it, or null for {@code num_batches_tracked}
     * @param shape its shape
     * @param dataType float32 for parameters, int64 for {@code num_batches_tracked}
     */
    public record Entry(String name, Parameter parameter, Shape shape, DataType dataType) {}

    private TorchNames() {}

    /**
     * Lists the PyTorch state dict of {@code network}, in PyTorch's order. The network must be
     * initialized, so that every parameter has its shape.
     *
     * @throws IllegalArgumentException if a layer holds a parameter PyTorch has no name for
     */
    public static List<Entry> of(SequentialBlock network) {
        List<Entry> entries = new ArrayList<>();
        int index = -1;
        for (Block layer : network.getChildren().values()) {
            if (layer instanceof AdaptiveAvgPool) {
                continue;
            }
            index++;
            String prefix = PREFIX + index + ".";
            for (Pair<String, Parameter> pair : layer.getDirectParameters()) {
                Parameter parameter = pair.getValue();
                String field = DJL_TO_TORCH.get(parameter.getName());
                if (field == null) {
                    throw new IllegalArgumentException("layer " + index + " (" + layer.getClass().getSimpleName()
                            + ") has parameter " + parameter.getName() + " that PyTorch has no name for");
                }
                entries.add(new Entry(prefix + field, parameter, parameter.getArray().getShape(), DataType.FLOAT32));
            }
            if (layer instanceof BatchNorm) {
                entries.add(new Entry(prefix + BATCHES_TRACKED, null, new Shape(), DataType.INT64));
            }
        }
        return entries;
    }
}
