package dev.alexnet.bench;

import dev.alexnet.io.Pictures;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** Draws throughput, memory and accuracy against batch size, three charts stacked in one picture. */
public final class BenchChart {

    static final int WIDTH = 640;
    static final int HEIGHT = 300;

    private BenchChart() {}

    /** Writes the picture of {@code report} to {@code file} (PNG). */
    public static void write(BenchReport report, Path file) {
        List<BenchResult> results = report.results();
        List<Integer> batch = results.stream().map(BenchResult::batchSize).toList();
        XYChart throughput = chart("Throughput", "images/s");
        throughput.addSeries("engine", batch, results.stream().map(BenchResult::engineImagesPerSec).toList());
        throughput.addSeries("pipeline", batch, results.stream().map(BenchResult::pipelineImagesPerSec).toList());
        XYChart memory = chart("Peak resident memory", "MB");
        memory.addSeries("peak RSS", batch, results.stream().map(r -> r.peakRssBytes() / 1e6).toList());
        List<XYChart> charts = new java.util.ArrayList<>(List.of(throughput, memory));
        if (results.stream().map(BenchResult::valAccuracy).allMatch(Objects::nonNull)) {
            XYChart accuracy = chart("Validation accuracy after " + report.config().trainEpochs() + " epoch(s)", "accuracy");
            accuracy.addSeries("accuracy", batch, results.stream().map(BenchResult::valAccuracy).toList());
            charts.add(accuracy);
        }
        BufferedImage picture = new BufferedImage(WIDTH, HEIGHT * charts.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, picture.getWidth(), picture.getHeight());
            for (int i = 0; i < charts.size(); i++) {
                g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), 0, i * HEIGHT, null);
            }
        } finally {
            g.dispose();
        }
        Pictures.savePng(picture, file);
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("batch size")
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        // from zero, so that small differences between batch sizes look as small as they are
        chart.getStyler().setYAxisMin(0.0);
        return chart;
    }
}
