package dev.alexnet.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import java.util.ArrayList;
import java.util.List;

/**
 * The chapter's first exercise as a computation: memory and arithmetic per layer of a network,
 * derived from its layers' definitions and the shapes they produce.
 *
 * <p>Counting rules, per example: a convolution does out_h·out_w·C_out·(C_in/groups)·k_h·k_w
 * multiply-accumulates (MACs), a dense layer in·out; a MAC is two FLOPs and each bias adds one per
 * output. Backward costs as much again for the gradient to the inputs (skipped for the first layer,
 * whose input is data) and again for the gradient to the weights (plus one add per output for the
 * bias). Elementwise layers (ReLU, sigmoid, dropout) do one FLOP per element each way; max pooling
 * does k²−1 comparisons per output forward and one routing per output backward, average pooling k²
 * adds forward and k² backward; batch normalization four per element each way; flattening none.
 *
 * @param input the input shape, batch first
 * @param layers one row per layer, in order
 */
public record NetworkAnalysis(Shape input, List<LayerCost> layers) {

    /** Float32 bytes per value. */
    public static final long BYTES_PER_VALUE = 4;

    public NetworkAnalysis {
        layers = List.copyOf(layers);
    }

    /**
     * Sums of a group of layers.
     *
     * @param params scalar parameters
     * @param paramBytes parameter memory
     * @param activationBytes output memory for the batch
     * @param macs forward multiply-accumulates for the batch
     * @param forwardFlops forward FLOPs for the batch
     * @param trainFlops training-step FLOPs for the batch
     */
    public record Totals(long params, long paramBytes, long activationBytes, long macs, long forwardFlops,
            long trainFlops) {

        Totals plus(LayerCost layer) {
            return new Totals(params + layer.params(), paramBytes + layer.paramBytes(),
                    activationBytes + layer.activationBytes(), macs + layer.macs(),
                    forwardFlops + layer.forwardFlops(), trainFlops + layer.trainFlops());
        }
    }

    /** Analyses the network a configuration names for a batch of {@code batchSize}. */
    public static NetworkAnalysis of(ModelConfig config, long batchSize) {
        return of(Networks.build(config), Networks.inputShape(config, batchSize));
    }

    /** Analyses {@code network} for inputs of shape {@code input} (batch first). */
    public static NetworkAnalysis of(SequentialBlock network, Shape input) {
        // walked at batch 1 and scaled: the engine may build a layer's output to learn its shape, and
        // a large batch must not cost a large allocation (or an overflow) just to be analysed
        long batch = input.get(0);
        List<Shape> outputs = ShapeWalk.outputShapes(network, withBatch(input, 1)).stream()
                .map(shape -> withBatch(shape, batch)).toList();
        List<LayerCost> rows = new ArrayList<>();
        Shape in = input;
        boolean dense = false;
        boolean first = true;
        int index = 0;
        for (Block layer : network.getChildren().values()) {
            Shape out = outputs.get(index++);
            dense |= layer instanceof Linear;
            rows.add(cost(layer, in, out, dense ? "dense" : "conv", first));
            if (layer instanceof Convolution || layer instanceof Linear) {
                first = false;
            }
            in = out;
        }
        return new NetworkAnalysis(input, rows);
    }

    private static Shape withBatch(Shape shape, long batch) {
        long[] dims = shape.getShape().clone();
        dims[0] = batch;
        return new Shape(dims);
    }

    private static LayerCost cost(Block layer, Shape in, Shape out, String group, boolean firstWeighted) {
        long outputs = out.size();
        long params = 0;
        long macs = 0;
        long forward;
        long backward;
        if (layer instanceof Convolution conv) {
            long kernel = conv.getKernelShape().size();
            long inChannels = in.get(1) / conv.getGroups();
            params = (long) conv.getFilters() * inChannels * kernel + conv.getFilters();
            macs = outputs * inChannels * kernel;
            forward = 2 * macs + outputs;
            backward = (firstWeighted ? 0 : 2 * macs) + 2 * macs + outputs;
        } else if (layer instanceof Linear) {
            long inFeatures = in.get(in.dimension() - 1);
            long units = out.get(out.dimension() - 1);
            params = units * inFeatures + units;
            macs = outputs * inFeatures;
            forward = 2 * macs + outputs;
            backward = (firstWeighted ? 0 : 2 * macs) + 2 * macs + outputs;
        } else if (layer instanceof ai.djl.nn.norm.BatchNorm) {
            long channels = out.get(1);
            // scale and shift are learned, mean and variance are running statistics: four per channel, as DJL counts
            params = 4 * channels;
            forward = 4 * outputs;
            backward = 4 * outputs;
        } else if (layer instanceof Pooling pool) {
            long window = (long) pool.kernel() * pool.kernel();
            forward = outputs * (pool.kind() == Pooling.Kind.MAX ? window - 1 : window);
            backward = outputs * (pool.kind() == Pooling.Kind.MAX ? 1 : window);
        } else if (layer instanceof LambdaBlock lambda && "Flatten".equals(lambda.getName())) {
            forward = 0;
            backward = 0;
        } else if (layer instanceof LambdaBlock || layer instanceof Dropout) {
            forward = outputs;
            backward = outputs;
        } else {
            throw new IllegalArgumentException("cannot analyse layer " + LayerNames.of(layer));
        }
        return new LayerCost(LayerNames.of(layer), group, out, params, params * BYTES_PER_VALUE,
                outputs * BYTES_PER_VALUE, macs, forward, forward + backward);
    }

    /** Returns the sums over the layers of {@code group} ({@code conv} or {@code dense}), or all when null. */
    public Totals totals(String group) {
        Totals sum = new Totals(0, 0, 0, 0, 0, 0);
        for (LayerCost layer : layers) {
            if (group == null || group.equals(layer.group())) {
                sum = sum.plus(layer);
            }
        }
        return sum;
    }

    /**
     * Returns the activation memory one example needs in inference: without a gradient to compute,
     * only a layer's input and output are alive at once, so the largest such pair.
     */
    public long inferenceBytesPerExample() {
        long largest = 0;
        long in = input.size() * BYTES_PER_VALUE;
        for (LayerCost layer : layers) {
            largest = Math.max(largest, in + layer.activationBytes());
            in = layer.activationBytes();
        }
        return largest / input.get(0);
    }

    /** Returns the training FLOPs for one example. */
    public double trainFlopsPerExample() {
        return (double) totals(null).trainFlops() / input.get(0);
    }
}
