package dev.alexnet.model;

import dev.alexnet.train.RunConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @ParameterizedTest
    @CsvSource({"alexnet-small, 112, 5154314, 1, 96, 6, 6", "alexnet28, 28, 745034, 1, 64, 3, 3"})
    void smallerAlexNetsHaveTheirShapes(String name, int size, long params, long n, long c, long h, long w) {
        LayerSummary summary = LayerSummary.of(new ModelConfig(name, 10, size));
        assertEquals(params, summary.totalParams());
        int flatten = summary.layers().stream().map(LayerSummary.Layer::name).toList().indexOf("Flatten");
        assertEquals(new Shape(n, c, h, w), summary.layers().get(flatten - 1).outputShape());
        assertEquals(new Shape(1, 10), summary.layers().get(summary.layers().size() - 1).outputShape());
        assertEquals(summary.totalParams(), NetworkAnalysis.of(new ModelConfig(name, 10, size), 1).totals(null).params());
    }

    @Test
    void alexNetSmallDoesUnderAQuarterOfTheBooksArithmetic() {
        double book = NetworkAnalysis.of(RunConfig.book().model(), 1).trainFlopsPerExample();
        double small = NetworkAnalysis.of(new ModelConfig(Networks.ALEXNET_SMALL, 10, 112), 1).trainFlopsPerExample();
        assertTrue(small < book / 4, small + " vs " + book);
    }
}
