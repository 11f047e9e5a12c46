package dev.alexnet.model;

import dev.alexnet.train.RunConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The analysis against hand-computed values and against the engine's own counts. */
class NetworkAnalysisTest {

    private static final NetworkAnalysis BOOK = NetworkAnalysis.of(RunConfig.book().model(), 1);

    @Test
    void secondConvolutionMatchesTheHandCount() {
        LayerCost conv2 = BOOK.layers().get(3);
        // output 26×26×256, each a 5×5 window over 96 channels
        long macs = 26L * 26 * 256 * (96 * 5 * 5);
        assertEquals(415_334_400L, macs);
        assertEquals(macs, conv2.macs());
        long outputs = 26L * 26 * 256;
        assertEquals(2 * macs + outputs, conv2.forwardFlops());
        // backward: input gradient (2·MACs), weight gradient (2·MACs), bias gradient (one add per output)
        assertEquals(conv2.forwardFlops() + 4 * macs + outputs, conv2.trainFlops());
        assertEquals(256L * (96 * 25 + 1), conv2.params());
        assertEquals(outputs * 4, conv2.activationBytes());
    }

    @Test
    void firstConvolutionNeedsNoInputGradient() {
        LayerCost conv1 = BOOK.layers().get(0);
        long macs = 54L * 54 * 96 * (1 * 11 * 11);
        long outputs = 54L * 54 * 96;
        assertEquals(macs, conv1.macs());
        assertEquals(2 * (2 * macs + outputs), conv1.trainFlops());
    }

    @Test
    void poolingCountsComparisonsPerWindow() {
        LayerCost pool1 = BOOK.layers().get(2);
        long outputs = 26L * 26 * 96;
        assertEquals(outputs * (3 * 3 - 1), pool1.forwardFlops());
        assertEquals(outputs * (3 * 3 - 1) + outputs, pool1.trainFlops());
        assertEquals(0, pool1.params());
    }

    @Test
    void hiddenDenseLayersHoldTheChaptersParameters() {
        LayerCost dense1 = BOOK.layers().get(14);
        LayerCost dense2 = BOOK.layers().get(17);
        assertEquals(6400L * 4096 + 4096, dense1.params());
        assertEquals(4096L * 4096 + 4096, dense2.params());
        assertEquals(6400L * 4096, dense1.macs());
        assertEquals(2L * 6400 * 4096 + 4096, dense1.forwardFlops());
        // ≈164 MiB together, as the chapter says
        long bytes = dense1.paramBytes() + dense2.paramBytes();
        assertEquals(164.0, bytes / (1024.0 * 1024.0), 0.5);
    }

    @Test
    void totalsMatchTheChaptersTableCountedByHand() {
        // The book's AlexNet on 1x224x224, layer by layer (d2l 8.1's table): output sizes 54, 26, 26, 12
        // (three convolutions), 5 after the last pool, 6400 = 256·5·5 into the first dense layer.
        long convParams = 96L * (1 * 11 * 11 + 1) + 256L * (96 * 5 * 5 + 1) + 384L * (256 * 3 * 3 + 1)
                + 384L * (384 * 3 * 3 + 1) + 256L * (384 * 3 * 3 + 1);
        long denseParams = 4096L * (6400 + 1) + 4096L * (4096 + 1) + 10L * (4096 + 1);
        long convMacs = 54L * 54 * 96 * (1 * 11 * 11) + 26L * 26 * 256 * (96 * 5 * 5) + 12L * 12 * 384 * (256 * 3 * 3)
                + 12L * 12 * 384 * (384 * 3 * 3) + 12L * 12 * 256 * (384 * 3 * 3);
        long denseMacs = 6400L * 4096 + 4096L * 4096 + 4096L * 10;
        long convOutputs = 54L * 54 * 96 + 26L * 26 * 256 + 12L * 12 * 384 + 12L * 12 * 384 + 12L * 12 * 256;
        long poolOutputs = 26L * 26 * 96 + 12L * 12 * 256 + 5L * 5 * 256;
        // forward: two FLOPs a MAC, a bias add and a ReLU per convolution output, 3·3−1 comparisons per pool output
        long convForward = 2 * convMacs + convOutputs + convOutputs + poolOutputs * (3 * 3 - 1);
        // dense: two FLOPs a MAC, a bias add per output, a ReLU and a dropout on each hidden output
        long denseForward = 2 * denseMacs + (4096 + 4096 + 10) + 2 * (4096 + 4096);
        long everyOutput = 2 * 54L * 54 * 96 + 26L * 26 * 96 + 2 * 26L * 26 * 256 + 12L * 12 * 256
                + 4 * 12L * 12 * 384 + 2 * 12L * 12 * 256 + 5L * 5 * 256 + 6400 + 6 * 4096 + 10;

        assertEquals(3_723_968, convParams);
        assertEquals(43_040_778, denseParams);
        NetworkAnalysis.Totals conv = BOOK.totals("conv");
        NetworkAnalysis.Totals dense = BOOK.totals("dense");
        NetworkAnalysis.Totals all = BOOK.totals(null);
        assertEquals(convParams, conv.params());
        assertEquals(denseParams, dense.params());
        assertEquals(46_764_746, all.params());
        assertEquals(convMacs, conv.macs());
        assertEquals(denseMacs, dense.macs());
        assertEquals(convForward, conv.forwardFlops());
        assertEquals(denseForward, dense.forwardFlops());
        assertEquals(1_878_383_114L, all.forwardFlops());
        assertEquals(4 * everyOutput, all.activationBytes());
        assertEquals(List.of("conv", "dense"), List.of(BOOK.layers().get(13).group(), BOOK.layers().get(14).group()));
    }

    @Test
    void parameterCountsEqualTheEnginesAtAnySize() {
        for (int size : new int[] {224, 96, 65}) {
            ModelConfig config = RunConfig.book().model().withInputSize(size);
            NetworkAnalysis analysis = NetworkAnalysis.of(config, 1);
            LayerSummary summary = LayerSummary.of(config);
            for (int i = 0; i < summary.layers().size(); i++) {
                assertEquals(summary.layers().get(i).params(), analysis.layers().get(i).params(), "layer " + i);
                assertEquals(summary.layers().get(i).outputShape(), analysis.layers().get(i).outputShape());
            }
            assertEquals(summary.totalParams(), analysis.totals(null).params());
        }
    }

    @Test
    void activationsAndFlopsScaleWithTheBatch() {
        NetworkAnalysis batch = NetworkAnalysis.of(RunConfig.book().model(), 8);
        assertEquals(8 * BOOK.totals(null).trainFlops(), batch.totals(null).trainFlops());
        assertEquals(8 * BOOK.totals(null).activationBytes(), batch.totals(null).activationBytes());
        assertEquals(BOOK.totals(null).paramBytes(), batch.totals(null).paramBytes());
        assertEquals(BOOK.trainFlopsPerExample(), batch.trainFlopsPerExample(), 1e-6);
    }

    @Test
    void validationBatchIsTheLargestWithinTheBudget() {
        // AlexNet at 224: the first ReLU's input and output, each the first convolution's 96·54·54 floats
        long pair = 2L * 96 * 54 * 54 * 4;
        assertEquals(2_239_488, pair);
        assertEquals(pair, NetworkAnalysis.of(RunConfig.book().model(), 1).inferenceBytesPerExample());
        // 512 MiB / 2,239,488 bytes = 239.7 examples
        assertEquals(239, dev.alexnet.model.EvaluationBatch.size(RunConfig.book().model(), 128));
        // LeNet's largest pair is 2·6·28·28 floats, 37,632 bytes: 14,266 fit, more than the cap of 256
        assertEquals(256, dev.alexnet.model.EvaluationBatch.size(new ModelConfig(Networks.LENET, 10, 28), 128));
        assertEquals(2000, dev.alexnet.model.EvaluationBatch.size(new ModelConfig(Networks.LENET, 10, 28), 2000),
                "never below the training batch");
    }
}
