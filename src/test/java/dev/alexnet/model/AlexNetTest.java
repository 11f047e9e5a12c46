package dev.alexnet.model;

import dev.alexnet.train.RunConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlexNetTest {

    private static final LayerSummary BOOK = LayerSummary.of(RunConfig.book().model());

    @Test
    void layerNamesFollowTheBooksSequential() {
        List<String> names = BOOK.layers().stream().map(LayerSummary.Layer::name).toList();
        assertEquals(List.of(
                "Conv2d", "ReLU", "MaxPool2d",
                "Conv2d", "ReLU", "MaxPool2d",
                "Conv2d", "ReLU", "Conv2d", "ReLU", "Conv2d", "ReLU", "MaxPool2d",
                "Flatten", "Linear", "ReLU", "Dropout", "Linear", "ReLU", "Dropout", "Linear"), names);
    }

    @Test
    void outputShapesMatchTheBookAt224() {
        assertEquals(new Shape(1, 1, 224, 224), BOOK.input());
        assertEquals(new Shape(1, 96, 54, 54), shapeAt(0));
        assertEquals(new Shape(1, 96, 26, 26), shapeAt(2));
        assertEquals(new Shape(1, 256, 26, 26), shapeAt(3));
        assertEquals(new Shape(1, 256, 12, 12), shapeAt(5));
        assertEquals(new Shape(1, 384, 12, 12), shapeAt(6));
        assertEquals(new Shape(1, 256, 12, 12), shapeAt(10));
        assertEquals(new Shape(1, 256, 5, 5), shapeAt(12));
        assertEquals(new Shape(1, 6400), shapeAt(13));
        assertEquals(new Shape(1, 4096), shapeAt(14));
        assertEquals(new Shape(1, 10), shapeAt(20));
    }

    @Test
    void parameterCountsMatchTheBook() {
        // conv: out·(in·k·k + 1); dense: out·(in + 1)
        assertEquals(96L * (1 * 11 * 11 + 1), BOOK.layers().get(0).params());
        assertEquals(256L * (96 * 5 * 5 + 1), BOOK.layers().get(3).params());
        assertEquals(4096L * (6400 + 1), BOOK.layers().get(14).params());
        assertEquals(4096L * (4096 + 1), BOOK.layers().get(17).params());
        assertEquals(10L * (4096 + 1), BOOK.layers().get(20).params());
        assertEquals(46_764_746L, BOOK.totalParams());
    }

    @Test
    void denseInputIsInferredFromTheInputSize() {
        LayerSummary small = LayerSummary.of(RunConfig.book().model().withInputSize(96));
        // 96 → conv 22 → pool 10 → pool 4 → pool 1: 256 features into the first dense layer.
        assertEquals(new Shape(1, 256), small.layers().get(13).outputShape());
        assertEquals(4096L * (256 + 1), small.layers().get(14).params());
    }

    @Test
    void tooSmallAnInputNamesTheLayerWhereTheFeatureMapVanishes() {
        InputTooSmallException e = assertThrows(InputTooSmallException.class,
                () -> Networks.build(RunConfig.book().model().withInputSize(32)));
        assertTrue(e.getMessage().contains("layer 6 (MaxPool2d)"), e.getMessage());
        assertTrue(e.getMessage().contains("32x32"), e.getMessage());

        InputTooSmallException tiny = assertThrows(InputTooSmallException.class,
                () -> Networks.build(RunConfig.book().model().withInputSize(8)));
        assertTrue(tiny.getMessage().contains("layer 1 (Conv2d)"), tiny.getMessage());
    }

    @Test
    void smallestWorkingInputIs65() {
        assertEquals(new Shape(1, 256, 1, 1), ShapeWalk.outputShapes(AlexNet.build(10), new Shape(1, 1, 65, 65)).get(12));
        assertThrows(InputTooSmallException.class, () -> ShapeWalk.outputShapes(AlexNet.build(10), new Shape(1, 1, 64, 64)));
    }

    @Test
    void weightsAreXavierUniformAndBiasesPyTorchDefault() {
        ai.djl.engine.Engine.getInstance().setRandomSeed(1);
        SequentialBlock net = AlexNet.build(10);
        try (NDManager manager = NDManager.newBaseManager()) {
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 224, 224));
            Block conv1 = net.getChildren().get(0).getValue();
            // conv1: fan_in = 1·11·11 = 121, fan_out = 96·11·11 = 11616
            assertUniformWithin(conv1.getParameters().get("weight").getArray(), Math.sqrt(6.0 / (121 + 11616)));
            assertUniformWithin(conv1.getParameters().get("bias").getArray(), 1 / Math.sqrt(121));
            Block dense1 = net.getChildren().get(14).getValue();
            assertUniformWithin(dense1.getParameters().get("weight").getArray(), Math.sqrt(6.0 / (6400 + 4096)));
            assertUniformWithin(dense1.getParameters().get("bias").getArray(), 1 / Math.sqrt(6400));
        }
    }

    private static void assertUniformWithin(NDArray values, double bound) {
        double max = values.abs().max().getFloat();
        assertTrue(max <= bound * (1 + 1e-6), "max |value| " + max + " exceeds the bound " + bound);
        assertTrue(max >= bound * 0.9, "max |value| " + max + " far below the bound " + bound + ": not spread over it");
        assertFalse(values.eq(0).all().getBoolean(), "not all zero");
    }

    @Test
    void configRefusesUnknownModelsAndBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig("vgg", 10, 224));
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(Networks.ALEXNET, 1, 224));
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(Networks.ALEXNET, 10, 0));
    }

    private static Shape shapeAt(int index) {
        return BOOK.layers().get(index).outputShape();
    }
}
