package dev.alexnet.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import dev.alexnet.weights.TorchNames;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The adaptive pool a resize schedule adds in front of AlexNet's dense layers is an exact identity at 224, so the
 * network trained at the end is the book's: the same layers around it, the same PyTorch names and shapes, and the
 * same outputs, bit for bit, on the same weights. (Its values at other sizes are PyTorch's: FidelityTest's
 * adaptive-pool fixtures.)
 */
class AdaptiveAvgPoolTest {

    @Test
    void atTheBooksSizeThePooledAlexNetIsTheBooks() {
        ModelConfig book = new ModelConfig(Networks.ALEXNET, 10, 224);
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            SequentialBlock plain = Networks.build(book);
            SequentialBlock pooled = Networks.build(book.withAdaptivePool(true));
            plain.initialize(manager, DataType.FLOAT32, Networks.inputShape(book, 1));
            pooled.initialize(manager, DataType.FLOAT32, Networks.inputShape(book, 1));

            List<String> layers = pooled.getChildren().values().stream().map(LayerNames::of).toList();
            assertEquals(List.of("MaxPool2d", "AdaptiveAvgPool2d", "Flatten"), layers.subList(12, 15),
                    "the pool stands between the last max pool and the flatten, as in torchvision's AlexNet");
            assertEquals(plain.getChildren().size() + 1, pooled.getChildren().size());

            List<TorchNames.Entry> plainNames = TorchNames.of(plain);
            List<TorchNames.Entry> pooledNames = TorchNames.of(pooled);
            assertEquals(plainNames.stream().map(TorchNames.Entry::name).toList(),
                    pooledNames.stream().map(TorchNames.Entry::name).toList(), "the chapter's names: net.14.weight ...");
            assertTrue(pooledNames.stream().anyMatch(e -> e.name().equals("net.14.weight")
                    && e.shape().equals(new Shape(4096, 6400))), "the first dense layer keeps its 6,400 inputs");
            for (int i = 0; i < plainNames.size(); i++) {
                pooledNames.get(i).parameter().getArray().set(plainNames.get(i).parameter().getArray().toFloatArray());
            }

            NDArray images = manager.randomUniform(0, 1, new Shape(3, 1, 224, 224));
            float[] expected = forward(plain, manager, images);
            float[] actual = forward(pooled, manager, images);
            assertArrayEquals(expected, actual, "the same outputs, bit for bit");

            AdaptiveAvgPool pool = (AdaptiveAvgPool) pooled.getChildren().values().get(13);
            assertEquals(5, pool.side());
            NDArray map = manager.randomUniform(-1, 1, new Shape(3, 256, 5, 5));
            assertSame(map, pool.forward(new ParameterStore(manager, false), new NDList(map), false).singletonOrThrow(),
                    "a 5x5 map is handed on as it is");
        }
    }

    @Test
    void thePooledNetworkTakesOtherSizesAndThePlainOneDoesNot() {
        ModelConfig book = new ModelConfig(Networks.ALEXNET, 10, 224);
        SequentialBlock pooled = Networks.build(book.withAdaptivePool(true));
        for (int size : new int[] {112, 160, 288}) {
            List<Shape> shapes = ShapeWalk.outputShapes(pooled, new Shape(1, 1, size, size));
            assertEquals(new Shape(1, 256, 5, 5), shapes.get(13), "pooled to 5x5 at " + size);
        }
        // without the pool, 112x112 makes a 2x2 map: 1,024 inputs for a layer built for 6,400
        List<Shape> plain = ShapeWalk.outputShapes(Networks.build(book), new Shape(1, 1, 112, 112));
        assertEquals(new Shape(1, 1024), plain.get(13));
    }

    private static float[] forward(SequentialBlock network, NDManager manager, NDArray images) {
        return network.forward(new ParameterStore(manager, false), new NDList(images), false).singletonOrThrow()
                .toFloatArray();
    }
}
