package dev.alexnet.io;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Writes charts and images to files, whole or not at all. */
public final class Pictures {

    static {
        // Pictures are drawn without a display, on servers and in CI.
        System.setProperty("java.awt.headless", "true");
    }

    private Pictures() {}

    /** Writes a chart as PNG. */
    public static void savePng(Chart<?, ?> chart, Path file) {
        savePng(BitmapEncoder.getBufferedImage(chart), file);
    }

    /** Writes an image as PNG. */
    public static void savePng(BufferedImage image, Path file) {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer in this JVM");
            }
        });
    }

    /** Writes a chart as SVG. */
    public static void saveSvg(Chart<?, ?> chart, Path file) {
        AtomicFiles.write(file, out -> {
            ByteArrayOutputStream svg = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            svg.writeTo(out);
        });
    }
}
