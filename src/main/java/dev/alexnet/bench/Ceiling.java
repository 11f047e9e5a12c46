package dev.alexnet.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import dev.alexnet.model.FastSequentialBlock;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.Networks;
import dev.alexnet.model.ShapeWalk;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The machine's best sustained float32 rate, measured: the fastest of a few large kernels the engine
 * runs (square matrix products, the network's own dense products at the batch size, a large 3×3
 * convolution in the plain and the channels-last layout), each timed several times and credited with
 * its best time.
 *
 * <p>A training step is made of such kernels and slower glue, so its rate over this ceiling stays at
 * or below one; measuring it again after the steps and keeping the higher figure guards against a
 * machine that was slowed down while the ceiling was measured.
 *
 * @param gflops the highest rate of any kernel
 * @param kernel the name of that kernel
 * @param kernels every kernel's best rate, by name, in the order measured
 */
public record Ceiling(double gflops, String kernel, Map<String, Double> kernels) {

    private static final int WARMUP = 1;
    private static final int REPEATS = 4;
    /** The 3×3 convolution: AlexNet's 3×3 layers at twice their resolution, on batches of up to 32. */
    private static final int CONV_BATCH = 32;
    private static final int CONV_CHANNELS = 256;
    private static final int CONV_SIDE = 26;
    private static final int CONV_FILTERS = 256;
    /** Dense products smaller than this are too short to time well and cannot be a ceiling. */
    private static final double MIN_KERNEL_FLOPS = 1e9;

    public Ceiling {
        kernels = Collections.unmodifiableMap(new LinkedHashMap<>(kernels));
    }

    /** Returns two measurements of the same machine as one: each kernel's higher rate, and the best of them. */
    public Ceiling max(Ceiling other) {
        Map<String, Double> rates = new LinkedHashMap<>(kernels);
        other.kernels.forEach((name, rate) -> rates.merge(name, rate, Math::max));
        return of(rates);
    }

    private static Ceiling of(Map<String, Double> rates) {
        Map.Entry<String, Double> best = rates.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        return new Ceiling(best.getValue(), best.getKey(), rates);
    }

    /**
     * Measures the ceiling on {@code device}: square products of side {@code gemmSize} and half of it,
     * {@code model}'s dense layers at {@code batchSize}, and a 3×3 convolution (its batch at most 32).
     */
    public static Ceiling measure(Device device, ModelConfig model, int batchSize, int gemmSize) {
        List<Kernel> kernels = new ArrayList<>();
        kernels.add(Kernel.matMul(gemmSize, gemmSize, gemmSize));
        if (gemmSize >= 2) {
            kernels.add(Kernel.matMul(gemmSize / 2, gemmSize / 2, gemmSize / 2));
        }
        kernels.addAll(denseKernels(model, batchSize));
        Shape convInput = new Shape(Math.min(batchSize, CONV_BATCH), CONV_CHANNELS, CONV_SIDE, CONV_SIDE);
        kernels.add(Kernel.conv3x3(convInput, CONV_FILTERS, false));
        // the networks run channels-last, where the engine's convolutions are faster still
        kernels.add(Kernel.conv3x3(convInput, CONV_FILTERS, true));
        Map<String, Double> rates = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            for (Kernel kernel : kernels) {
                rates.putIfAbsent(kernel.name(), kernel.flops() / bestSeconds(kernel, manager) / 1e9);
            }
        }
        return of(rates);
    }

    /** The name of the square product of side {@code side}, as {@link #kernels()} lists it. */
    public static String squareKernel(int side) {
        return Kernel.matMul(side, side, side).name();
    }

    /** The matrix products of {@code model}'s dense layers for a batch, as the forward pass runs them. */
    static List<Kernel> denseKernels(ModelConfig model, int batchSize) {
        SequentialBlock network = Networks.build(model);
        List<Shape> outputs = ShapeWalk.outputShapes(network, Networks.inputShape(model, 1));
        List<Kernel> kernels = new ArrayList<>();
        int index = 0;
        for (Block layer : network.getChildren().values()) {
            if (layer instanceof Linear && index > 0) {
                long in = outputs.get(index - 1).size();
                long out = outputs.get(index).size();
                Kernel kernel = Kernel.matMul(batchSize, in, out);
                if (kernel.flops() >= MIN_KERNEL_FLOPS) {
                    kernels.add(kernel);
                }
            }
            index++;
        }
        kernels.sort(Comparator.comparingDouble(Kernel::flops).reversed());
        return kernels;
    }

    private static double bestSeconds(Kernel kernel, NDManager manager) {
        try (NDManager arrays = manager.newSubManager()) {
            Function<NDManager, NDArray> op = kernel.prepare().apply(arrays);
            double best = Double.MAX_VALUE;
            for (int i = 0; i < WARMUP + REPEATS; i++) {
                try (NDManager scratch = arrays.newSubManager()) {
                    long start = System.nanoTime();
                    NDArray result = op.apply(scratch);
                    result.getFloat(new long[result.getShape().dimension()]); // waits for the result where the engine is asynchronous
                    double seconds = (System.nanoTime() - start) / 1e9;
                    if (i >= WARMUP) {
                        best = Math.min(best, seconds);
                    }
                }
            }
            return best;
        }
    }

    /**
     * One kernel: its name, its floating-point operations, and how to make its operands (once) and
     * then run it (each time, its result attached to the manager given).
     */
    record Kernel(String name, double flops, Function<NDManager, Function<NDManager, NDArray>> prepare) {

        static Kernel matMul(long m, long k, long n) {
            return new Kernel(String.format(Locale.ROOT, "matmul %dx%dx%d", m, k, n), 2.0 * m * k * n, manager -> {
                NDArray a = manager.randomUniform(-1, 1, new Shape(m, k));
                NDArray b = manager.randomUniform(-1, 1, new Shape(k, n));
                return scratch -> {
                    NDArray c = a.matMul(b);
                    c.attach(scratch);
                    return c;
                };
            });
        }

        static Kernel conv3x3(Shape input, int filters, boolean channelsLast) {
            long outputs = input.get(0) * filters * input.get(2) * input.get(3);
            return new Kernel(String.format(Locale.ROOT, "conv3x3 %s->%d%s", input, filters,
                    channelsLast ? " channels-last" : ""), 2.0 * outputs * input.get(1) * 9, manager -> {
                        NDArray plain = manager.randomUniform(0, 1, input);
                        NDArray x = channelsLast
                                ? FastSequentialBlock.channelsLast(new NDList(plain)).singletonOrThrow() : plain;
                        NDArray w = manager.randomUniform(-0.05f, 0.05f, new Shape(filters, input.get(1), 3, 3));
                        return scratch -> {
                            NDArray y = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
                            y.attach(scratch);
                            return y;
                        };
                    });
        }
    }
}
