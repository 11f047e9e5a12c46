package dev.alexnet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import dev.alexnet.testing.IdxFixtures;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AugmentationTest {

    @TempDir
    Path dir;

    private float[] firstBatch(Augmentation augmentation, long seed, int epoch) {
        try (FashionMnist data = FashionMnist.load(new DataConfig(dir, 8, 28, null, null, augmentation));
                NDManager manager = NDManager.newBaseManager();
                BatchStream batches = data.trainBatches(epoch, seed, manager);
                Batch batch = batches.next()) {
            Shape shape = batch.getData().singletonOrThrow().getShape();
            assertEquals(new Shape(Math.min(8, data.train().size()), 1, 28, 28), shape);
            return batch.getData().singletonOrThrow().toFloatArray();
        }
    }

    @Test
    void parsesAnySubsetAndRefusesUnknownParts() {
        assertEquals(new Augmentation(true, false, true), Augmentation.parse("flip,color"));
        assertEquals(Augmentation.NONE, Augmentation.parse("none"));
        assertEquals("flip,crop,color", Augmentation.parse("color, crop,flip").toString());
        assertThrows(IllegalArgumentException.class, () -> Augmentation.parse("flip,rotate"));
    }

    @Test
    void offIsTheIdentity() throws IOException {
        // 12 images, each different and asymmetric (a flip or a shift changes it), written here byte by byte
        int count = 12;
        byte[] pixels = new byte[count * 784];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % 10);
            for (int p = 0; p < 784; p++) {
                pixels[i * 784 + p] = (byte) (i * 31 + (p / 28) * 3 + (p % 28) * 5);
            }
        }
        for (String split : new String[] {"train", "t10k"}) {
            IdxFixtures.write(dir.resolve(split + "-images-idx3-ubyte"),
                    IdxFixtures.imagesBytes(IdxFixtures.IMAGES_MAGIC, count, 28, 28, pixels), false);
            IdxFixtures.write(dir.resolve(split + "-labels-idx1-ubyte"),
                    IdxFixtures.labelsBytes(IdxFixtures.LABELS_MAGIC, count, labels), false);
        }

        // an epoch of training batches without augmentation holds each file image once, as its bytes / 255
        java.util.Map<java.util.List<Float>, Integer> inFile = new java.util.HashMap<>();
        for (int i = 0; i < count; i++) {
            java.util.List<Float> image = new java.util.ArrayList<>();
            for (int p = 0; p < 784; p++) {
                image.add((pixels[i * 784 + p] & 0xff) / 255f);
            }
            inFile.put(image, i);
        }
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        try (FashionMnist data = FashionMnist.load(new DataConfig(dir, 5, 28, null, null, Augmentation.parse("none")));
                NDManager manager = NDManager.newBaseManager();
                BatchStream batches = data.trainBatches(1, 3, manager)) {
            while (batches.hasNext()) {
                try (Batch batch = batches.next()) {
                    float[] images = batch.getData().singletonOrThrow().toFloatArray();
                    long[] batchLabels = batch.getLabels().singletonOrThrow().toLongArray();
                    for (int j = 0; j < batchLabels.length; j++) {
                        java.util.List<Float> image = new java.util.ArrayList<>();
                        for (int p = 0; p < 784; p++) {
                            image.add(images[j * 784 + p]);
                        }
                        Integer example = inFile.get(image);
                        assertTrue(example != null, "image " + j + " of a batch is not one of the file's, unchanged");
                        assertEquals(labels[example], batchLabels[j], "the image keeps its label");
                        assertTrue(seen.add(example), "example " + example + " twice in an epoch");
                    }
                }
            }
        }
        assertEquals(count, seen.size(), "every example once: " + seen);
        assertThrows(IllegalArgumentException.class, () -> new DataConfig(dir, 8, 28, null, null, null),
                "no augmentation is Augmentation.NONE, never null");
    }

    @Test
    void keepsShapeAndRangeIsReproducibleAndChangesEachEpoch() throws IOException {
        IdxFixtures.patternFashionMnist(dir, 16, 4);
        Augmentation all = Augmentation.parse("flip,crop,color");

        float[] plain = firstBatch(Augmentation.NONE, 3, 1);
        float[] epoch1 = firstBatch(all, 3, 1);

        for (float value : epoch1) {
            assertTrue(value >= 0 && value <= 1, "value in [0, 1]: " + value);
        }
        assertFalse(java.util.Arrays.equals(plain, epoch1), "augmented differs from plain");
        assertArrayEquals(epoch1, firstBatch(all, 3, 1), "same seed and epoch: same augmentation");
        assertFalse(java.util.Arrays.equals(epoch1, firstBatch(all, 3, 2)), "another epoch: another augmentation");
    }

    @Test
    void flipMirrorsAndCropShiftsTheImage() throws IOException {
        // one example: a single bright pixel at row 10, column 3
        byte[] pixels = new byte[784];
        pixels[10 * 28 + 3] = (byte) 255;
        IdxFixtures.write(dir.resolve("train-images-idx3-ubyte"),
                IdxFixtures.imagesBytes(IdxFixtures.IMAGES_MAGIC, 1, 28, 28, pixels), false);
        IdxFixtures.write(dir.resolve("train-labels-idx1-ubyte"),
                IdxFixtures.labelsBytes(IdxFixtures.LABELS_MAGIC, 1, new byte[] {0}), false);
        IdxFixtures.write(dir.resolve("t10k-images-idx3-ubyte"),
                IdxFixtures.imagesBytes(IdxFixtures.IMAGES_MAGIC, 1, 28, 28, pixels), false);
        IdxFixtures.write(dir.resolve("t10k-labels-idx1-ubyte"),
                IdxFixtures.labelsBytes(IdxFixtures.LABELS_MAGIC, 1, new byte[] {0}), false);

        int flipped = 0;
        for (int epoch = 1; epoch <= 20; epoch++) {
            float[] image = firstBatch(new Augmentation(true, false, false), 5, epoch);
            int lit = indexOfMax(image);
            assertTrue(lit == 10 * 28 + 3 || lit == 10 * 28 + 24, "kept or mirrored: " + lit);
            flipped += lit == 10 * 28 + 24 ? 1 : 0;
        }
        assertTrue(flipped > 0 && flipped < 20, "flips about half the time: " + flipped + "/20");
        for (int epoch = 1; epoch <= 10; epoch++) {
            int lit = indexOfMax(firstBatch(new Augmentation(false, true, false), 5, epoch));
            assertTrue(Math.abs(lit / 28 - 10) <= 2 && Math.abs(lit % 28 - 3) <= 2, "shifted at most 2 pixels: " + lit);
        }
    }

    private static int indexOfMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
