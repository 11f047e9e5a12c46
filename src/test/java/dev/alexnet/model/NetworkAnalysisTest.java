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
    void totalsAreTheSumsOfTheRowsAndSplitAtTheFirstDenseLayer() {
        NetworkAnalysis.Totals conv = BOOK.totals("conv");
        NetworkAnalysis.Totals dense = BOOK.totals("dense");
        NetworkAnalysis.Totals all = BOOK.totals(null);
        assertEquals(BOOK.layers().stream().mapToLong(LayerCost::trainFlops).sum(), all.trainFlops());
        assertEquals(BOOK.layers().stream().mapToLong(LayerCost::activationBytes).sum(), all.activationBytes());
        assertEquals(all.params(), conv.params() + dense.params());
        assertEquals(all.forwardFlops(), conv.forwardFlops() + dense.forwardFlops());
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
        assertEquals(pair, NetworkAnalysis.of(RunConfig.book().model(), 1).inferenceBytesPerExample());
        assertEquals((int) (dev.alexnet.model.EvaluationBatch.BUDGET_BYTES / pair),
                dev.alexnet.model.EvaluationBatch.size(RunConfig.book().model(), 128));
        assertEquals(dev.alexnet.model.EvaluationBatch.MAX,
                dev.alexnet.model.EvaluationBatch.size(new ModelConfig(Networks.LENET, 10, 28), 128));
        assertEquals(2000, dev.alexnet.model.EvaluationBatch.size(new ModelConfig(Networks.LENET, 10, 28), 2000),
                "never below the training batch");
    }
}
