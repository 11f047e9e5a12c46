package dev.alexnet.data;

import static dev.alexnet.testing.IdxFixtures.IMAGES_MAGIC;
import static dev.alexnet.testing.IdxFixtures.LABELS_MAGIC;
import static dev.alexnet.testing.IdxFixtures.imagesBytes;
import static dev.alexnet.testing.IdxFixtures.labelsBytes;
import static dev.alexnet.testing.IdxFixtures.randomBytes;
import static dev.alexnet.testing.IdxFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsImagesPlainOrGzip(boolean gzip) throws IOException {
        byte[] pixels = randomBytes(3 * 4 * 5, 1);
        Path file = write(dir.resolve("images"), imagesBytes(IMAGES_MAGIC, 3, 4, 5, pixels), gzip);

        IdxImages images = IdxReader.readImages(file);

        assertEquals(3, images.count());
        assertEquals(4, images.rows());
        assertEquals(5, images.cols());
        assertArrayEquals(pixels, images.pixels());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsLabelsPlainOrGzip(boolean gzip) throws IOException {
        byte[] labels = {0, 9, 3, 3, 7};
        Path file = write(dir.resolve("labels"), labelsBytes(LABELS_MAGIC, 5, labels), gzip);

        assertArrayEquals(labels, IdxReader.readLabels(file, 10));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncatedImagesNameTheFileAndTheShortfall(boolean gzip) throws IOException {
        byte[] whole = imagesBytes(IMAGES_MAGIC, 3, 4, 5, randomBytes(60, 2));
        Path file = write(dir.resolve("short-images"), Arrays.copyOf(whole, whole.length - 7), gzip);

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void truncatedGzipStreamIsReported() throws IOException {
        Path whole = write(dir.resolve("whole.gz"), imagesBytes(IMAGES_MAGIC, 50, 28, 28, randomBytes(50 * 784, 3)), true);
        byte[] compressed = Files.readAllBytes(whole);
        Path file = dir.resolve("cut.gz");
        Files.write(file, Arrays.copyOf(compressed, compressed.length / 2));

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void headerCutShortIsTruncated() throws IOException {
        Path file = write(dir.resolve("stub"), new byte[] {0, 0, 8, 3, 0, 0}, false);

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().contains("header"), e.getMessage());
    }

    @Test
    void wrongMagicIsRefused() throws IOException {
        Path file = write(dir.resolve("labels-as-images"), labelsBytes(LABELS_MAGIC, 2, new byte[] {1, 2}), false);

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().contains("magic number 0x00000801, expected 0x00000803"), e.getMessage());
    }

    @Test
    void labelOutOfRangeIsRefusedWithItsIndex() throws IOException {
        Path file = write(dir.resolve("labels"), labelsBytes(LABELS_MAGIC, 4, new byte[] {1, 2, 10, 3}), false);

        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(file, 10));

        assertTrue(e.getMessage().contains("label 10 at index 2"), e.getMessage());
    }

    @Test
    void extraBytesAfterTheDataAreCorrupt() throws IOException {
        byte[] whole = labelsBytes(LABELS_MAGIC, 2, new byte[] {1, 2, 3});
        Path file = write(dir.resolve("labels"), whole, false);

        DataException e = assertThrows(DataException.class, () -> IdxReader.readLabels(file, 10));

        assertTrue(e.getMessage().contains("extra bytes"), e.getMessage());
    }

    @Test
    void absurdHeaderSizesAreRefusedBeforeAllocating() throws IOException {
        Path file = write(dir.resolve("huge"), imagesBytes(IMAGES_MAGIC, 100_000, 100_000, 100_000, new byte[0]), false);

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().contains("more than fits in memory"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("nothing-here");

        DataException e = assertThrows(DataException.class, () -> IdxReader.readImages(file));

        assertEquals(file + ": file not found", e.getMessage());
    }
}
