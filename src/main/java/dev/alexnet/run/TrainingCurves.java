package dev.alexnet.run;

import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.TrainLossPoint;
import java.awt.BasicStroke;
import java.awt.Color;
import dev.alexnet.io.Pictures;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The book's training board: train loss (twice per epoch), validation loss and validation accuracy
 * against epoch, plus training accuracy (which shows overfitting), drawn to {@code curves.png} and
 * {@code curves.svg}.
 */
public final class TrainingCurves {

    /** The picture's width and height in pixels. */
    public static final int WIDTH = 640;
    public static final int HEIGHT = 400;

    private TrainingCurves() {}

    /**
     * Returns, for a run whose epochs trained at more than one size (a resize schedule), the sizes as a title's
     * tail: {@code ", epochs 1-2 at 112 px, 3-10 at 224"}; else nothing.
     */
    static String sizes(List<EpochMetrics> epochs) {
        if (epochs.stream().map(EpochMetrics::trainSize).filter(s -> s > 0).distinct().count() < 2) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < epochs.size()) {
            int j = i;
            while (j + 1 < epochs.size() && epochs.get(j + 1).trainSize() == epochs.get(i).trainSize()) {
                j++;
            }
            text.append(i == 0 ? ", epoch" + (j > i ? "s " : " ") : ", ").append(epochs.get(i).epoch())
                    .append(j > i ? "-" + epochs.get(j).epoch() : "").append(" at ").append(epochs.get(i).trainSize())
                    .append(i == 0 ? " px" : "");
            i = j + 1;
        }
        return text.toString();
    }

    /** Builds the chart of a run's metrics. */
    public static XYChart chart(MetricsFile metrics) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Training" + sizes(metrics.epochs()))
                .xAxisTitle("epoch").yAxisTitle("loss / accuracy").build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisMin(0.0);
        List<TrainLossPoint> points = thinned(metrics.trainPoints());
        List<EpochMetrics> epochs = thinned(metrics.epochs());
        if (!points.isEmpty()) {
            XYSeries train = chart.addSeries("train_loss", points.stream().map(TrainLossPoint::x).toList(),
                    points.stream().map(TrainLossPoint::trainLoss).toList());
            train.setMarker(SeriesMarkers.NONE).setLineColor(new Color(31, 119, 180));
        }
        if (!epochs.isEmpty()) {
            List<Integer> x = epochs.stream().map(EpochMetrics::epoch).toList();
            XYSeries valLoss = chart.addSeries("val_loss", x, epochs.stream().map(EpochMetrics::valLoss).toList());
            valLoss.setMarker(SeriesMarkers.NONE).setLineColor(new Color(255, 127, 14))
                    .setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                            new float[] {6f, 4f}, 0f));
            if (epochs.stream().noneMatch(m -> Double.isNaN(m.trainAccuracy()))) {
                XYSeries trainAcc = chart.addSeries("train_acc", x,
                        epochs.stream().map(EpochMetrics::trainAccuracy).toList());
                trainAcc.setMarker(SeriesMarkers.NONE).setLineColor(new Color(148, 103, 189));
            }
            XYSeries valAcc = chart.addSeries("val_acc", x, epochs.stream().map(EpochMetrics::valAccuracy).toList());
            valAcc.setMarker(SeriesMarkers.NONE).setLineColor(new Color(44, 160, 44))
                    .setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                            new float[] {2f, 3f}, 0f));
        }
        return chart;
    }

    /** The most points drawn per series: more than a 640-pixel picture can show, few enough for a small SVG. */
    public static final int MAX_POINTS = 2000;

    /** Returns every k-th item (and the last) so that at most {@link #MAX_POINTS} remain. */
    static <T> List<T> thinned(List<T> items) {
        if (items.size() <= MAX_POINTS) {
            return items;
        }
        int stride = (items.size() + MAX_POINTS - 2) / (MAX_POINTS - 1);
        List<T> kept = new java.util.ArrayList<>();
        for (int i = 0; i < items.size() - 1; i += stride) {
            kept.add(items.get(i));
        }
        kept.add(items.get(items.size() - 1));
        return kept;
    }

    /** Draws the run in {@code runDir} from its {@code metrics.csv} to {@code curves.png} and {@code curves.svg}. */
    public static void draw(Path runDir) {
        draw(runDir, MetricsFile.read(runDir));
    }

    /** Draws {@code metrics} to {@code curves.png} and {@code curves.svg} in {@code runDir}. */
    public static void draw(Path runDir, MetricsFile metrics) {
        if (metrics.trainPoints().isEmpty() && metrics.epochs().isEmpty()) {
            throw new IllegalArgumentException(runDir + ": " + MetricsFile.FILE + " has no rows to plot yet");
        }
        XYChart chart = chart(metrics);
        Pictures.savePng(chart, runDir.resolve("curves.png"));
        Pictures.saveSvg(chart, runDir.resolve("curves.svg"));
    }
}
