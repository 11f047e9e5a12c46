package dev.alexnet.predict;

import static dev.alexnet.testing.ImageFixtures.photo;
import static dev.alexnet.testing.ImageFixtures.pngHeader;
import static dev.alexnet.testing.ImageFixtures.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageInputTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"png, 37, 91", "jpg, 640, 480", "bmp, 28, 28", "gif, 301, 17"})
    void anyFormatSizeAndColourBecomesAFashionMnistImage(String format, int width, int height) throws IOException {
        Path file = write(photo(width, height), format, dir.resolve("photo." + format));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray image = ImageInput.load(file, manager, ImageInput.Invert.AUTO);

            assertEquals(new Shape(1, 28, 28), image.getShape());
            assertTrue(image.min().getFloat() >= 0 && image.max().getFloat() <= 1);
            // Trimmed to the product, fitted and inverted: the product is bright, the padding dark.
            float[] pixels = image.toFloatArray();
            assertTrue(pixels[14 * 28 + 14] > 0.5f, "centre is the product, bright: " + pixels[14 * 28 + 14]);
        }
    }

    @Test
    void aLargePictureIsReadSubsampledToAFewHundredPixels() throws IOException {
        java.awt.image.BufferedImage large = new java.awt.image.BufferedImage(6000, 4000,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        java.awt.Graphics2D g = large.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 6000, 4000);
        g.setColor(java.awt.Color.BLACK);
        g.fillRect(2000, 500, 2000, 3000);
        g.dispose();
        Path file = dir.resolve("large.png");
        javax.imageio.ImageIO.write(large, "png", file.toFile());

        java.awt.image.BufferedImage decoded = ImageInput.decode(file);

        // 6000 / 11 = 546 columns (every 11th), 4000 / 11 = 364 rows: a few hundred pixels, same proportions
        assertEquals(546, decoded.getWidth());
        assertEquals(364, decoded.getHeight());
        try (NDManager manager = NDManager.newBaseManager()) {
            assertEquals(new Shape(1, 28, 28), ImageInput.load(file, manager, ImageInput.Invert.AUTO).getShape());
        }
    }

    @Test
    void invertNoKeepsTheBrightness() throws IOException {
        Path file = write(photo(100, 100), "png", dir.resolve("photo.png"));
        try (NDManager manager = NDManager.newBaseManager()) {
            float centre = ImageInput.load(file, manager, ImageInput.Invert.NO).toFloatArray()[14 * 28 + 14];
            assertTrue(centre < 0.3f, "the dark product stays dark: " + centre);
        }
    }

    @Test
    void notAnImageIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.png"), "not a picture");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageInput.decode(file));
        assertTrue(e.getMessage().contains("not an image"), e.getMessage());
    }

    @Test
    void truncatedPngIsRefused() throws IOException {
        Path whole = write(photo(200, 150), "png", dir.resolve("whole.png"));
        byte[] bytes = Files.readAllBytes(whole);
        Path file = dir.resolve("cut.png");
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageInput.decode(file));

        assertTrue(e.getMessage().startsWith(file + ": truncated or corrupt image"), e.getMessage());
    }

    @Test
    void truncatedJpegIsRefusedNotDecodedAsGray() throws IOException {
        Path whole = write(photo(640, 480), "jpg", dir.resolve("whole.jpg"));
        byte[] bytes = Files.readAllBytes(whole);
        Path file = dir.resolve("cut.jpg");
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageInput.decode(file));

        assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
    }

    @Test
    void decompressionBombHeaderIsRefusedBeforeDecoding() throws IOException {
        Path file = Files.write(dir.resolve("bomb.png"), pngHeader(100_000, 100_000));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageInput.decode(file));

        assertTrue(e.getMessage().contains("claims 100000x100000 pixels"), e.getMessage());
    }
}
