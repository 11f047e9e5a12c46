package dev.alexnet.report;

import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.TrainLossPoint;
import dev.alexnet.run.MetricsFile;
import dev.alexnet.run.TrainingCurves;
import dev.alexnet.io.Pictures;
import dev.alexnet.model.OptimizerConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import dev.alexnet.data.IdxImages;
import dev.alexnet.data.Split;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.Networks;
import dev.alexnet.model.Classifier;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PicturesTest {

    @TempDir
    Path dir;

    private static MetricsFile metrics(double... trainLossValLossValAccuracy) {
        List<TrainLossPoint> points = new java.util.ArrayList<>();
        List<EpochMetrics> epochs = new java.util.ArrayList<>();
        for (int e = 0; e < trainLossValLossValAccuracy.length / 3; e++) {
            double trainLoss = trainLossValLossValAccuracy[3 * e];
            points.add(new TrainLossPoint(e + 0.5, trainLoss + 0.1));
            points.add(new TrainLossPoint(e + 1.0, trainLoss - 0.1));
            epochs.add(new EpochMetrics(e + 1, trainLoss, trainLossValLossValAccuracy[3 * e + 1],
                    trainLossValLossValAccuracy[3 * e + 2], 100, 5, 0.5));
        }
        return new MetricsFile(points, epochs);
    }

    private static BufferedImage png(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " is a PNG");
        return image;
    }

    @Test
    void curvesAreDrawnAsPngAndSvgAndFollowTheData() throws IOException {
        metrics(2.2, 2.0, 0.3, 1.35, 1.1, 0.6).write(dir);
        assertEquals(metrics(2.2, 2.0, 0.3, 1.35, 1.1, 0.6), MetricsFile.read(dir), "written and read back alike");

        TrainingCurves.draw(dir);

        // each series plots its own column of metrics.csv, as the numbers above say
        java.util.Map<String, org.knowm.xchart.XYSeries> series = TrainingCurves.chart(MetricsFile.read(dir)).getSeriesMap();
        assertEquals(java.util.Set.of("train_loss", "val_loss", "train_acc", "val_acc"), series.keySet());
        assertSeries(series.get("train_loss"), new double[] {0.5, 1.0, 1.5, 2.0}, new double[] {2.3, 2.1, 1.45, 1.25});
        assertSeries(series.get("val_loss"), new double[] {1, 2}, new double[] {2.0, 1.1});
        assertSeries(series.get("val_acc"), new double[] {1, 2}, new double[] {0.3, 0.6});
        assertSeries(series.get("train_acc"), new double[] {1, 2}, new double[] {0.5, 0.5});
        BufferedImage first = png(dir.resolve("curves.png"));
        assertEquals(TrainingCurves.WIDTH, first.getWidth());
        assertEquals(TrainingCurves.HEIGHT, first.getHeight());
        String svg = Files.readString(dir.resolve("curves.svg"));
        assertTrue(svg.contains("<svg"), "an SVG document");
        byte[] before = Files.readAllBytes(dir.resolve("curves.png"));

        metrics(1.3, 0.5, 0.9).write(dir);
        TrainingCurves.draw(dir);

        assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(dir.resolve("curves.png"))),
                "other metrics, another picture");
    }

    private static void assertSeries(org.knowm.xchart.XYSeries series, double[] x, double[] y) {
        assertArrayEquals(x, series.getXData(), 1e-12, series.getName() + " x");
        assertArrayEquals(y, series.getYData(), 1e-12, series.getName() + " y");
    }

    @Test
    void metricsWrittenBeforeTrainAccuracyExistedStillReadAndDraw() throws IOException {
        Files.writeString(dir.resolve("metrics.csv"), "kind,epoch,x,trainLoss,valLoss,valAccuracy,imagesPerSec,seconds\n"
                + "train,1,0.5,2.3,,,,\ntrain,1,1.0,2.1,,,,\nepoch,1,1,2.2,2.0,0.3,100,5\n");

        MetricsFile old = MetricsFile.read(dir);

        assertEquals(2, old.trainPoints().size());
        assertEquals(0.3, old.epochs().get(0).valAccuracy());
        assertTrue(Double.isNaN(old.epochs().get(0).trainAccuracy()), "no train accuracy then");
        TrainingCurves.draw(dir);
        assertEquals(TrainingCurves.WIDTH, png(dir.resolve("curves.png")).getWidth());
    }

    @Test
    void aRunWithoutMetricsCannotBePlotted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingCurves.draw(dir));
        assertTrue(e.getMessage().contains("no metrics.csv"), e.getMessage());
    }

    @Test
    void validationReportCountsDrawsAndRanksMistakes() throws IOException {
        ValidationReport report = new ValidationReport(List.of("a", "b", "c"));
        report.accept(new long[] {0, 0, 1, 2}, new long[] {0, 1, 1, 0}, new float[] {0.9f, 0.8f, 0.7f, 0.95f});

        assertArrayEquals(new long[][] {{1, 1, 0}, {0, 1, 0}, {1, 0, 0}}, report.confusion());
        assertEquals(Map.of("a", 0.5, "b", 1.0, "c", 0.0), report.perClassAccuracy());
        List<ValidationReport.Mistake> worst = report.worstMistakes(5);
        assertEquals(List.of(new ValidationReport.Mistake(3, 2, 0, 0.95f), new ValidationReport.Mistake(1, 0, 1, 0.8f)),
                worst);

        byte[] pixels = new byte[4 * 784];
        pixels[3 * 784 + 400] = (byte) 255;
        Split split = new Split("validation", new IdxImages(4, 28, 28, pixels), new byte[] {0, 0, 1, 2});
        report.writePictures(dir, split);
        BufferedImage confusion = png(dir.resolve("confusion.png"));
        assertEquals(900, confusion.getWidth());
        BufferedImage grid = png(dir.resolve("misclassified.png"));
        assertTrue(grid.getWidth() > 28 * 4 && grid.getHeight() > 28 * 4, "room for two captioned images");
        byte[] before = Files.readAllBytes(dir.resolve("confusion.png"));

        report.accept(new long[] {2, 2}, new long[] {2, 2}, new float[] {0.5f, 0.5f});
        report.writePictures(dir, split);

        assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(dir.resolve("confusion.png"))));
    }

    @Test
    void filterGridShowsEveryFirstLayerKernel() throws IOException {
        ModelConfig config = new ModelConfig(Networks.ALEXNET, 10, 65);
        try (Classifier model = new Classifier(config, OptimizerConfig.sgd(0.01f), Device.cpu())) {
            Engine.getInstance().setRandomSeed(5);
            model.block().initialize(model.model().getNDManager(), DataType.FLOAT32, Networks.inputShape(config, 1));

            Pictures.savePng(FilterGrid.draw(model), dir.resolve("filters.png"));

            BufferedImage grid = png(dir.resolve("filters.png"));
            // 96 kernels of 11×11 at 5× with 3-pixel gaps: 12 columns, 8 rows
            assertEquals(12 * (11 * 5 + 3) + 3, grid.getWidth());
            assertEquals(8 * (11 * 5 + 3) + 3, grid.getHeight());
            byte[] before = Files.readAllBytes(dir.resolve("filters.png"));
            model.block().getChildren().get(0).getValue().getParameters().get("weight").getArray().muli(-1);
            Pictures.savePng(FilterGrid.draw(model), dir.resolve("filters.png"));
            assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(dir.resolve("filters.png"))),
                    "other weights, another picture");
        }
    }
}
