package dev.alexnet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import dev.alexnet.testing.IdxFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    private static final long SEED = 7;

    @TempDir
    Path dir;

    private FashionMnist load(int batchSize, int resize, Integer limit, Integer valLimit) {
        return FashionMnist.load(new DataConfig(dir, batchSize, resize, limit, valLimit, Augmentation.NONE));
    }

    @Test
    void loadsBothSplitsAndAppliesLimits() throws IOException {
        IdxFixtures.fakeFashionMnist(dir, 50, 20, true);

        try (FashionMnist data = load(8, 28, 30, 12)) {
            assertEquals(30, data.train().size());
            assertEquals(12, data.validation().size());
            assertEquals(4, data.batchCount(data.train()));
            assertEquals(dir, data.config().dataDir());
        }
    }

    @Test
    void missingFileIsNamedWithHowToGetTheData() throws IOException {
        IdxFixtures.fakeFashionMnist(dir, 10, 10, false);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));

        DataException e = assertThrows(DataException.class, () -> load(8, 28, null, null));

        assertTrue(e.getMessage().contains("missing t10k-labels-idx1-ubyte[.gz]"), e.getMessage());
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void imagesAndLabelsOfDifferentCountsAreRefused() throws IOException {
        IdxFixtures.fakeFashionMnist(dir, 10, 10, false);
        IdxFixtures.write(dir.resolve("train-labels-idx1-ubyte"),
                IdxFixtures.labelsBytes(IdxFixtures.LABELS_MAGIC, 9, new byte[9]), false);

        DataException e = assertThrows(DataException.class, () -> load(8, 28, null, null));

        assertTrue(e.getMessage().contains("9 labels but"), e.getMessage());
    }

    @Test
    void trainingBatchesAreShuffledPerEpochReproduciblyAndKeepThePartialBatch() throws IOException {
        IdxFixtures.fakeFashionMnist(dir, 50, 20, false);

        try (FashionMnist data = load(16, 28, null, null);
                NDManager manager = NDManager.newBaseManager()) {
            int[] epoch1 = data.shuffledOrder(1, SEED);
            assertArrayEquals(epoch1, data.shuffledOrder(1, SEED), "same seed and epoch, same order");
            assertFalse(Arrays.equals(epoch1, data.shuffledOrder(2, SEED)), "a new order each epoch");
            int[] sorted = epoch1.clone();
            Arrays.sort(sorted);
            assertArrayEquals(java.util.stream.IntStream.range(0, 50).toArray(), sorted, "a permutation");

            List<Integer> sizes = new ArrayList<>();
            List<Long> labels = new ArrayList<>();
            try (BatchStream batches = data.trainBatches(1, SEED, manager)) {
                while (batches.hasNext()) {
                    try (Batch batch = batches.next()) {
                        sizes.add(batch.getSize());
                        for (long label : batch.getLabels().singletonOrThrow().toLongArray()) {
                            labels.add(label);
                        }
                    }
                }
            }
            assertEquals(List.of(16, 16, 16, 2), sizes);
            for (int i = 0; i < 50; i++) {
                assertEquals(epoch1[i] % 10, labels.get(i), "label of the " + i + "th example in epoch order");
            }
        }
    }

    @Test
    void validationBatchesKeepFileOrderScaledToUnitRange() throws IOException {
        IdxFixtures.fakeFashionMnist(dir, 10, 20, false);

        try (FashionMnist data = load(8, 28, null, null);
                NDManager manager = NDManager.newBaseManager();
                BatchStream batches = data.validationBatches(manager);
                Batch first = batches.next()) {
            NDArray images = first.getData().singletonOrThrow();
            assertEquals(new Shape(8, 1, 28, 28), images.getShape());
            float[] values = images.toFloatArray();
            for (int i = 0; i < 8; i++) {
                // Example i of the fixture has every pixel equal to (i * 7) % 256.
                assertEquals(((i * 7) % 256) / 255f, values[i * 784 + 100], 1e-6f);
            }
            assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7}, first.getLabels().singletonOrThrow().toLongArray());
            assertEquals(3, batches.batchCount());
        }
    }

    @Test
    void batchesAreResizedToTheConfiguredSize() throws IOException {
        IdxFixtures.fakeFashionMnist(dir, 10, 5, false);

        try (FashionMnist data = load(5, 224, null, null);
                NDManager manager = NDManager.newBaseManager();
                BatchStream batches = data.validationBatches(manager);
                Batch batch = batches.next()) {
            NDArray images = batch.getData().singletonOrThrow();
            assertEquals(new Shape(5, 1, 224, 224), images.getShape());
            // A constant image stays constant under bilinear resizing.
            assertEquals(14 / 255f, images.get(2).max().getFloat(), 1e-6f);
            assertEquals(14 / 255f, images.get(2).min().getFloat(), 1e-6f);
        }
    }

    @Test
    void differentSeedsGiveDifferentOrders() throws IOException {
        IdxFixtures.fakeFashionMnist(dir, 50, 5, false);

        try (FashionMnist a = FashionMnist.load(new DataConfig(dir, 8, 28, null, null, Augmentation.NONE));
                FashionMnist b = FashionMnist.load(new DataConfig(dir, 8, 28, null, null, Augmentation.NONE))) {
            assertNotEquals(Arrays.toString(a.shuffledOrder(1, 1)), Arrays.toString(b.shuffledOrder(1, 2)));
        }
    }
}
