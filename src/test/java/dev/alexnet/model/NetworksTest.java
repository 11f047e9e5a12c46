package dev.alexnet.model;

import dev.alexnet.train.RunConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shapes and parameter counts of every network, at its natural input size. */
class NetworksTest {

    @Test
    void everyNetworkHasANaturalInputSize() {
        assertEquals(List.of("alexnet", "alexnet-nodropout", "alexnet-small", "alexnet28", "lenet", "lenet-modern"),
                Networks.names());
        assertEquals(224, Networks.naturalInputSize("alexnet"));
        assertEquals(28, Networks.naturalInputSize("alexnet28"));
        assertEquals(28, Networks.naturalInputSize("lenet"));
    }

    @Test
    void leNetHasTheBooksShapesAndParameters() {
        LayerSummary lenet = LayerSummary.of(new ModelConfig(Networks.LENET, 10, 28));
        // conv 6·(25+1) + conv 16·(6·25+1) + dense 120·(400+1) + dense 84·(120+1) + dense 10·(84+1)
        long byHand = 6 * 26 + 16 * 151 + 120 * 401 + 84 * 121 + 10 * 85;
        assertEquals(61_706, byHand);
        assertEquals(byHand, lenet.totalParams());
        assertEquals(new Shape(1, 6, 28, 28), lenet.layers().get(0).outputShape());
        assertEquals(new Shape(1, 6, 14, 14), lenet.layers().get(2).outputShape());
        assertEquals(new Shape(1, 16, 10, 10), lenet.layers().get(3).outputShape());
        assertEquals(new Shape(1, 400), lenet.layers().get(6).outputShape());
        assertEquals(List.of("Conv2d", "Sigmoid", "AvgPool2d"),
                lenet.layers().subList(0, 3).stream().map(LayerSummary.Layer::name).toList());
    }

    @Test
    void modernLeNetSwapsActivationsAndPoolingAndAddsDropout() {
        LayerSummary modern = LayerSummary.of(new ModelConfig(Networks.LENET_MODERN, 10, 28));
        assertEquals(61_706, modern.totalParams());
        assertEquals(List.of("Conv2d", "ReLU", "MaxPool2d"),
                modern.layers().subList(0, 3).stream().map(LayerSummary.Layer::name).toList());
        assertEquals(2, modern.layers().stream().filter(l -> l.name().equals("Dropout")).count());
    }

    @Test
    void alexNetWithoutDropoutIsTheSameNetworkLessTwoLayers() {
        LayerSummary plain = LayerSummary.of(RunConfig.book().model());
        LayerSummary without = LayerSummary.of(new ModelConfig(Networks.ALEXNET_NODROPOUT, 10, 224));
        assertEquals(plain.totalParams(), without.totalParams());
        assertEquals(plain.layers().size() - 2, without.layers().size());
        assertEquals(0, without.layers().stream().filter(l -> l.name().equals("Dropout")).count());
    }

    // The counts below are DJL's: every Parameter of the block, which for batch normalization includes
    // its running mean and running variance, 4 numbers a channel. PyTorch keeps those two as buffers, so
    // sum(p.numel() for p in net.parameters()) counts 2 a channel (gamma, beta): 2 fewer per channel.

    /** A convolution's parameters: k·k·in weights and one bias per output channel. */
    private static long conv(long in, long out, long k) {
        return out * (k * k * in + 1);
    }

    /** A dense layer's parameters: one weight per input and one bias per output. */
    private static long dense(long in, long out) {
        return out * (in + 1);
    }

    @Test
    void alexNetSmallHasItsShapesAndParameters() {
        ModelConfig config = new ModelConfig(Networks.ALEXNET_SMALL, 10, 112);
        // 112 -> conv 5x5/2 pad 2: 56 -> pool 3/2: 27 -> conv 5x5 pad 2: 27 -> pool: 13 -> three 3x3 pad 1: 13
        // -> pool: 6, so the first dense layer sees 96·6·6 = 3456 inputs
        long layers = conv(1, 48, 5) + conv(48, 96, 5) + conv(96, 144, 3) + conv(144, 144, 3) + conv(144, 96, 3)
                + dense(96 * 6 * 6, 1024) + dense(1024, 1024) + dense(1024, 10);
        long batchNormChannels = 48 + 96 + 144 + 144 + 96;
        assertEquals(5_152_202, layers);
        assertCounts(config, layers, batchNormChannels, new Shape(1, 96, 6, 6));
        assertEquals(5_154_314, LayerSummary.of(config).totalParams(), "as DJL counts, the running statistics too");
    }

    @Test
    void alexNet28HasItsShapesAndParameters() {
        ModelConfig config = new ModelConfig(Networks.ALEXNET28, 10, 28);
        // 3x3 pad 1 convolutions keep the size; 2x2 pools: 28 -> 14 -> 7 -> 3, so 64·3·3 = 576 inputs
        long layers = conv(1, 32, 3) + conv(32, 64, 3) + conv(64, 128, 3) + conv(128, 128, 3) + conv(128, 64, 3)
                + dense(64 * 3 * 3, 512) + dense(512, 256) + dense(256, 10);
        long batchNormChannels = 32 + 64 + 128 + 128 + 64;
        assertEquals(743_370, layers);
        assertCounts(config, layers, batchNormChannels, new Shape(1, 64, 3, 3));
        assertEquals(745_034, LayerSummary.of(config).totalParams(), "as DJL counts, the running statistics too");
    }

    /**
     * Checks that DJL's count is the layers' plus 4 per batch-norm channel, PyTorch's (the trainable
     * parameters) plus 2, and the shapes before the dense layers and at the end.
     */
    private static void assertCounts(ModelConfig config, long layers, long batchNormChannels, Shape beforeFlatten) {
        LayerSummary summary = LayerSummary.of(config);
        assertEquals(layers + 4 * batchNormChannels, summary.totalParams());
        assertEquals(layers + 2 * batchNormChannels, trainableParams(config), "PyTorch's parameters()");
        int flatten = summary.layers().stream().map(LayerSummary.Layer::name).toList().indexOf("Flatten");
        assertEquals(beforeFlatten, summary.layers().get(flatten - 1).outputShape());
        assertEquals(new Shape(1, 10), summary.layers().get(summary.layers().size() - 1).outputShape());
        assertEquals(summary.totalParams(), NetworkAnalysis.of(config, 1).totals(null).params());
    }

    /** The parameters that take gradients, as PyTorch's {@code parameters()} lists them. */
    private static long trainableParams(ModelConfig config) {
        ai.djl.nn.SequentialBlock block = Networks.build(config);
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, Networks.inputShape(config, 1));
            return block.getParameters().values().stream().filter(ai.djl.nn.Parameter::requiresGradient)
                    .mapToLong(p -> p.getArray().size()).sum();
        }
    }

    @Test
    void alexNetSmallDoesUnderAQuarterOfTheBooksArithmetic() {
        double book = NetworkAnalysis.of(RunConfig.book().model(), 1).trainFlopsPerExample();
        double small = NetworkAnalysis.of(new ModelConfig(Networks.ALEXNET_SMALL, 10, 112), 1).trainFlopsPerExample();
        assertTrue(small < book / 4, small + " vs " + book);
    }
}
