package dev.alexnet.testing;

import dev.alexnet.io.Pictures;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Pictures for tests: generated photos and hand-made PNG headers. */
public final class ImageFixtures {

    private ImageFixtures() {}

    /** A "photo": a dark red rectangle (the product) on a light background, of any size. */
    public static BufferedImage photo(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(240, 240, 235));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(90, 10, 20));
        g.fillRect(width / 4, height / 8, width / 2, height * 3 / 4);
        g.dispose();
        return image;
    }

    public static Path write(BufferedImage image, String format, Path file) throws IOException {
        assertTrue(ImageIO.write(image, format, file.toFile()), format);
        return file;
    }

    /** A PNG that is only a signature, an IHDR chunk claiming the size, and IEND. */
    public static byte[] pngHeader(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] typeBytes = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(typeBytes);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
