package dev.alexnet.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import dev.alexnet.model.LayerCost;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.NetworkAnalysis;
import dev.alexnet.model.Networks;
import dev.alexnet.model.FastSequentialBlock;
import dev.alexnet.model.Classifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a training step's time goes: each layer's forward and backward time for one batch, with
 * the rate it reaches — GFLOP/s for layers that do arithmetic, GB/s of memory traffic for those
 * that mostly move data (activations, pooling, dropout).
 *
 * <p>To time a layer's backward pass on its own, each layer's input is cut from the graph (a leaf
 * that records its gradient), the layers run forward one by one, and then, from the loss back, each
 * layer's output receives the gradient its successor computed. The work is that of a real step:
 * parameter gradients are computed, and the first layer computes none for the images.
 */
public final class LayerProfile {

    /**
     * One layer's times for a batch (medians over the repeats).
     *
     * @param index position in the network (the PyTorch {@code net.<index>})
     * @param name the layer's class name
     * @param outputShape its output for the batch (for a ReLU run after its pooling, the pooled map)
     * @param forwardSeconds forward time
     * @param backwardSeconds backward time (gradients to its input and parameters)
     * @param forwardGflops arithmetic rate of the forward pass, or null for a layer without much arithmetic
     * @param backwardGflops arithmetic rate of the backward pass, or null likewise
     * @param forwardGbPerSec memory traffic rate of the forward pass (input read, output written)
     * @param backwardGbPerSec memory traffic rate of the backward pass (output gradient and input read, input
     *     gradient written)
     */
    public record Row(int index, String name, Shape outputShape, double forwardSeconds, double backwardSeconds,
            Double forwardGflops, Double backwardGflops, double forwardGbPerSec, double backwardGbPerSec) {}

    /**
     * The profile of one batch size.
     *
     * @param batchSize the batch
     * @param rows one per layer
     * @param forwardSeconds the sum of the layers' forward times
     * @param backwardSeconds the sum of their backward times
     * @param arithmeticShare the share of the time spent in convolution and dense layers
     */
    public record Result(int batchSize, List<Row> rows, double forwardSeconds, double backwardSeconds,
            double arithmeticShare) {}

    private LayerProfile() {}

    /**
     * Profiles {@code config}'s network at each batch size: {@code warmup} untimed passes, then {@code repeats}; says
     * which batch size it is at on {@code progress}.
     */
    public static java.util.List<Result> measureEach(ModelConfig config, java.util.List<Integer> batchSizes, int warmup,
            int repeats, Device device, long seed, java.util.function.Consumer<String> progress) {
        java.util.List<Result> results = new java.util.ArrayList<>();
        for (int batchSize : batchSizes) {
            progress.accept("batch " + batchSize + ": layer profile");
            results.add(measure(config, batchSize, warmup, repeats, device, seed));
        }
        return results;
    }

    /** Profiles each layer at one batch size: see {@link #measureEach}. */
    public static Result measure(ModelConfig config, int batchSize, int warmup, int repeats, Device device, long seed) {
        if (!"PyTorch".equals(Engine.getInstance().getEngineName())) {
            throw new IllegalStateException("the layer profile needs the PyTorch engine");
        }
        NetworkAnalysis analysis = NetworkAnalysis.of(config, batchSize);
        try (Classifier model = Classifier.forInference(config, device);
                NDManager manager = NDManager.newBaseManager(device)) {
            Engine.getInstance().setRandomSeed((int) seed);
            SequentialBlock network = (SequentialBlock) model.block();
            network.initialize(model.model().getNDManager(), DataType.FLOAT32, Networks.inputShape(config, batchSize));
            List<Block> layers = network.getChildren().values();
            int count = layers.size();
            List<List<Double>> forward = new ArrayList<>();
            List<List<Double>> backward = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                forward.add(new ArrayList<>());
                backward.add(new ArrayList<>());
            }
            NDArray images = manager.randomUniform(0, 1, Networks.inputShape(config, batchSize));
            NDArray labels = manager.randomInteger(0, config.numClasses(), new Shape(batchSize), DataType.INT64);
            for (int pass = 0; pass < warmup + repeats; pass++) {
                double[][] times = onePass(model, layers, images, labels, manager);
                if (pass >= warmup) {
                    for (int i = 0; i < count; i++) {
                        forward.get(i).add(times[0][i]);
                        backward.get(i).add(times[1][i]);
                    }
                }
            }
            // What each layer really sees: a ReLU run after its pooling works on the pooled map.
            int[] order = executionOrder(layers);
            Shape[] ins = new Shape[count];
            Shape[] outs = new Shape[count];
            Shape current = Networks.inputShape(config, batchSize);
            for (int step = 0; step < count; step++) {
                int i = order[step];
                ins[i] = current;
                outs[i] = i != step && "ReLU".equals(analysis.layers().get(i).name()) ? current
                        : analysis.layers().get(i).outputShape();
                current = outs[i];
            }
            List<Row> rows = new ArrayList<>();
            double forwardTotal = 0;
            double backwardTotal = 0;
            double arithmetic = 0;
            for (int i = 0; i < count; i++) {
                LayerCost cost = analysis.layers().get(i);
                double f = BenchResult.Spread.of(forward.get(i)).median();
                double b = BenchResult.Spread.of(backward.get(i)).median();
                boolean computes = cost.macs() > 0;
                long inBytes = ins[i].size() * NetworkAnalysis.BYTES_PER_VALUE;
                long outBytes = outs[i].size() * NetworkAnalysis.BYTES_PER_VALUE;
                rows.add(new Row(i, cost.name(), outs[i], f, b,
                        computes ? cost.forwardFlops() / f / 1e9 : null,
                        computes ? (cost.trainFlops() - cost.forwardFlops()) / b / 1e9 : null,
                        (inBytes + outBytes) / f / 1e9, (2 * inBytes + outBytes) / b / 1e9));
                forwardTotal += f;
                backwardTotal += b;
                if (computes) {
                    arithmetic += f + b;
                }
            }
            return new Result(batchSize, rows, forwardTotal, backwardTotal, arithmetic / (forwardTotal + backwardTotal));
        }
    }

    private static int[] executionOrder(List<Block> layers) {
        int[] order = new int[layers.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = 0; i + 1 < order.length; i++) {
            if (FastSequentialBlock.swaps(layers.get(i), layers.get(i + 1))) {
                order[i] = i + 1;
                order[i + 1] = i;
                i++;
            }
        }
        return order;
    }

    /** Runs one forward and backward pass layer by layer; returns {forward seconds, backward seconds} per layer. */
    private static double[][] onePass(Classifier model, List<Block> layers, NDArray images, NDArray labels,
            NDManager parent) {
        int count = layers.size();
        double[][] times = new double[2][count];
        try (NDManager manager = parent.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            // Every array of the pass, the layers' outputs included, goes when the pass ends.
            images.tempAttach(manager);
            labels.tempAttach(manager);
            ParameterStore parameters = new ParameterStore(manager, false);
            List<NDArray> inputs = new ArrayList<>();
            List<NDArray> outputs = new ArrayList<>();
            // laid out as the network lays out its input (channels-last), so that each layer sees what it sees there
            NDArray x = FastSequentialBlock.channelsLast(new NDList(images)).singletonOrThrow();
            // The layers in the order the network runs them: a ReLU before max pooling runs after it.
            int[] order = executionOrder(layers);
            for (int step = 0; step < count; step++) {
                int i = order[step];
                NDArray input = x;
                if (step > 0) {
                    // A leaf per layer, so that each layer's backward pass can be run and timed alone.
                    input = x.stopGradient();
                    input.setRequiresGradient(true);
                }
                long start = System.nanoTime();
                NDArray output = layers.get(i).forward(parameters, new NDList(input), true).singletonOrThrow();
                times[0][i] = (System.nanoTime() - start) / 1e9;
                inputs.add(input);
                outputs.add(output);
                x = output;
            }
            NDArray logits = x.stopGradient();
            logits.setRequiresGradient(true);
            Loss loss = model.loss();
            collector.backward(loss.evaluate(new NDList(labels), new NDList(logits)));
            NDArray gradient = logits.getGradient();
            for (int step = count - 1; step >= 0; step--) {
                long start = System.nanoTime();
                JniUtils.backward((PtNDArray) outputs.get(step), (PtNDArray) gradient, false, false);
                times[1][order[step]] = (System.nanoTime() - start) / 1e9;
                if (step > 0) {
                    gradient = inputs.get(step).getGradient();
                }
            }
            collector.zeroGradients();
        }
        return times;
    }
}
