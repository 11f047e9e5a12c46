package dev.alexnet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Bilinear resizing with half-pixel centres, checked against values worked out by hand. */
class BatchMakerTest {

    // With half-pixel centres, output pixel j of a 2→4 upsampling samples source coordinate
    // (j + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped to the image: 0, 0.25, 0.75, 1.
    private static final float[] SOURCE = {0f, 0.25f, 0.75f, 1f};

    @Test
    void upsamplesALinearRampExactly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // image[r][c] = 2r + c is linear, so bilinear resizing returns 2·SOURCE[i] + SOURCE[j].
            NDArray image = manager.create(new float[] {0, 1, 2, 3}, new Shape(1, 1, 2, 2));

            float[] resized = new BatchMaker(4).resize(image).toFloatArray();

            float[] expected = new float[16];
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    expected[i * 4 + j] = 2 * SOURCE[i] + SOURCE[j];
                }
            }
            assertArrayEquals(expected, resized, 1e-6f);
        }
    }

    @Test
    void interpolatesBetweenFourNeighbours() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray image = manager.create(new float[] {0, 4, 8, 0}, new Shape(1, 1, 2, 2));

            NDArray resized = new BatchMaker(4).resize(image);

            assertEquals(new Shape(1, 1, 4, 4), resized.getShape());
            float[] out = resized.toFloatArray();
            // Output (1,1) samples (0.25, 0.25): 0.75·0.75·0 + 0.75·0.25·4 + 0.25·0.75·8 + 0.25·0.25·0.
            assertEquals(2.25f, out[1 * 4 + 1], 1e-6f);
            // Output (0,0) clamps to the corner pixel; output (3,0) to the pixel below it.
            assertEquals(0f, out[0], 1e-6f);
            assertEquals(8f, out[3 * 4], 1e-6f);
            // Output (0,2) samples (0, 0.75) on the top row: 0.25·0 + 0.75·4.
            assertEquals(3f, out[2], 1e-6f);
        }
    }

    @Test
    void resizesAWholeBatchInOneCall() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray images = manager.ones(new Shape(3, 1, 28, 28));

            NDArray resized = new BatchMaker(224).resize(images);

            assertEquals(new Shape(3, 1, 224, 224), resized.getShape());
            assertEquals(1f, resized.min().getFloat(), 1e-6f);
        }
    }
}
