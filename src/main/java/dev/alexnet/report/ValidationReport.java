package dev.alexnet.report;

import dev.alexnet.io.Pictures;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.data.IdxImages;
import dev.alexnet.data.Split;
import dev.alexnet.model.Classifier;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * What a model gets right and wrong on the validation set: the confusion matrix, per-class accuracy,
 * and the validation images it misclassifies most confidently.
 */
public final class ValidationReport implements Classifier.PredictionSink {

    /** How many misclassified images the grid shows. */
    public static final int GRID_IMAGES = 24;

    private final List<String> classes;
    private final long[][] confusion;
    private final List<Mistake> mistakes = new ArrayList<>();
    private int seen;

    /**
     * A misclassified validation image.
     *
     * @param index its index in the validation set
     * @param label its true class
     * @param predicted the class the model chose
     * @param probability the probability the model gave its choice
     */
    public record Mistake(int index, int label, int predicted, float probability) {}

    /** Collects predictions over {@code classes}. */
    public ValidationReport(List<String> classes) {
        this.classes = List.copyOf(classes);
        this.confusion = new long[classes.size()][classes.size()];
    }

    @Override
    public void accept(long[] labels, long[] predicted, float[] probability) {
        for (int i = 0; i < labels.length; i++) {
            int label = (int) labels[i];
            int guess = (int) predicted[i];
            confusion[label][guess]++;
            if (label != guess) {
                mistakes.add(new Mistake(seen, label, guess, probability[i]));
            }
            seen++;
        }
    }

    /** Returns the confusion matrix: row = true class, column = predicted class. */
    public long[][] confusion() {
        long[][] copy = new long[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }

    /**
     * Returns each class's accuracy (the share of its images predicted as it), by class name, in label
     * order; {@code null} for a class without images in the scored set.
     */
    public Map<String, Double> perClassAccuracy() {
        Map<String, Double> accuracy = new LinkedHashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            long total = 0;
            for (long count : confusion[c]) {
                total += count;
            }
            accuracy.put(classes.get(c), total == 0 ? null : (double) confusion[c][c] / total);
        }
        return accuracy;
    }

    /** Returns the misclassified images, most confident first. */
    public List<Mistake> worstMistakes(int count) {
        return mistakes.stream().sorted(Comparator.comparingDouble(Mistake::probability).reversed()
                .thenComparingInt(Mistake::index)).limit(count).toList();
    }

    /** Draws the confusion matrix as a heat map with counts, class names on both axes. */
    public HeatMapChart confusionChart() {
        HeatMapChart chart = new HeatMapChartBuilder().width(900).height(760).title("Confusion matrix (validation)")
                .xAxisTitle("predicted").yAxisTitle("true").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setMin(0);
        chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(66, 133, 244), new Color(13, 71, 161)});
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setLegendVisible(false);
        // The y axis grows upwards, so the true classes are listed bottom-up to read top-down.
        int n = classes.size();
        List<String> rowsTopDown = new ArrayList<>(classes);
        java.util.Collections.reverse(rowsTopDown);
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                cells.add(new Number[] {p, n - 1 - t, confusion[t][p]});
            }
        }
        chart.addSeries("counts", classes, rowsTopDown, cells);
        return chart;
    }

    /** Draws the most confidently misclassified images of {@code validation}, each captioned true / predicted. */
    public BufferedImage mistakesGrid(Split validation, int count) {
        List<Mistake> worst = worstMistakes(count);
        int scale = 4;
        int side = 28 * scale;
        int caption = 34;
        int columns = 6;
        int cellWidth = side + 40;
        int cellHeight = side + caption + 8;
        int rows = Math.max(1, (worst.size() + columns - 1) / columns);
        BufferedImage grid = new BufferedImage(columns * cellWidth, rows * cellHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int n = 0; n < worst.size(); n++) {
                Mistake mistake = worst.get(n);
                int x0 = (n % columns) * cellWidth + 8;
                int y0 = (n / columns) * cellHeight + 4;
                g.drawImage(picture(validation.images(), mistake.index()), x0, y0, side, side, null);
                g.setColor(new Color(0, 100, 0));
                g.drawString("true: " + classes.get(mistake.label()), x0, y0 + side + 13);
                g.setColor(new Color(180, 0, 0));
                g.drawString(String.format(Locale.ROOT, "pred: %s %.2f", classes.get(mistake.predicted()),
                        mistake.probability()), x0, y0 + side + 27);
            }
        } finally {
            g.dispose();
        }
        return grid;
    }

    /** Returns image {@code index} as a picture: grey, or RGB from its three planes. */
    static BufferedImage picture(IdxImages images, int index) {
        int rows = images.rows();
        int cols = images.cols();
        int plane = rows * cols;
        int base = 0;
        byte[] pixels = images.image(index);
        if (images.channels() == 1) {
            BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setDataElements(0, 0, cols, rows, java.util.Arrays.copyOfRange(pixels, base, base + plane));
            return image;
        }
        BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < plane; i++) {
            int r = Byte.toUnsignedInt(pixels[base + i]);
            int g = Byte.toUnsignedInt(pixels[base + plane + i]);
            int b = Byte.toUnsignedInt(pixels[base + 2 * plane + i]);
            image.setRGB(i % cols, i / cols, (r << 16) | (g << 8) | b);
        }
        return image;
    }

    /** Writes {@code confusion.png} and {@code misclassified.png} into {@code dir}. */
    public void writePictures(Path dir, Split validation) {
        Pictures.savePng(confusionChart(), dir.resolve(FILES.get(0)));
        Pictures.savePng(mistakesGrid(validation, GRID_IMAGES), dir.resolve(FILES.get(1)));
    }

    /** The files {@link #writePictures} writes: the confusion matrix and the most confident mistakes. */
    public static final List<String> FILES = List.of("confusion.png", "misclassified.png");

    /** A report over Fashion-MNIST's ten classes. */
    public static ValidationReport fashionMnist() {
        return new ValidationReport(FashionMnist.CLASS_NAMES);
    }
}
