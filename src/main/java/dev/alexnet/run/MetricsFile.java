package dev.alexnet.run;

import dev.alexnet.io.AtomicFiles;
import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.TrainLossPoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A run's {@code metrics.csv}, the one definition of its format: a {@code train} row at each point
 * of the train-loss curve (twice per epoch, as the book plots it) and an {@code epoch} row per epoch.
 *
 * <p>Columns: {@code kind,epoch,x,trainLoss,valLoss,valAccuracy,imagesPerSec,seconds,trainAccuracy,trainSize};
 * {@code x} is the position in epochs, {@code trainSize} the side the epoch trained at. Files written before
 * {@code trainAccuracy} or {@code trainSize} existed (eight or nine columns) still read, with those NaN and 0.
 *
 * @param trainPoints the {@code train} rows
 * @param epochs the {@code epoch} rows
 */
public record MetricsFile(List<TrainLossPoint> trainPoints, List<EpochMetrics> epochs) {

    /** The file name in every run directory. */
    public static final String FILE = "metrics.csv";

    /** The first line of the file. */
    public static final String HEADER =
            "kind,epoch,x,trainLoss,valLoss,valAccuracy,imagesPerSec,seconds,trainAccuracy,trainSize";

    public MetricsFile {
        trainPoints = List.copyOf(trainPoints);
        epochs = List.copyOf(epochs);
    }

    /** Returns these metrics with one more train-loss point. */
    public MetricsFile with(TrainLossPoint point) {
        List<TrainLossPoint> points = new ArrayList<>(trainPoints);
        points.add(point);
        return new MetricsFile(points, epochs);
    }

    /** Returns these metrics with one more epoch. */
    public MetricsFile with(EpochMetrics epoch) {
        List<EpochMetrics> all = new ArrayList<>(epochs);
        all.add(epoch);
        return new MetricsFile(trainPoints, all);
    }

    /** Replaces the file in {@code runDir} with these metrics, atomically, rows in the order they were made. */
    public void write(Path runDir) {
        record Row(double x, int order, String line) {}
        List<Row> rows = new ArrayList<>();
        trainPoints.forEach(p -> rows.add(new Row(p.x(), 0, row(p))));
        epochs.forEach(m -> rows.add(new Row(m.epoch(), 1, row(m))));
        rows.sort(Comparator.comparingDouble(Row::x).thenComparingInt(Row::order));
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        rows.forEach(row -> text.append(row.line()).append('\n'));
        AtomicFiles.writeString(runDir.resolve(FILE), text.toString());
    }

    /** Appends the row of {@code point} to the file in {@code runDir}. */
    public static void append(Path runDir, TrainLossPoint point) {
        append(runDir, row(point));
    }

    /** Appends the row of {@code epoch} to the file in {@code runDir}. */
    public static void append(Path runDir, EpochMetrics epoch) {
        append(runDir, row(epoch));
    }

    private static String row(TrainLossPoint p) {
        return String.format(Locale.ROOT, "train,%d,%s,%s,,,,,,", (int) Math.ceil(p.x()), p.x(), p.trainLoss());
    }

    private static String row(EpochMetrics m) {
        return String.format(Locale.ROOT, "epoch,%d,%d,%s,%s,%s,%s,%s,%s,%d", m.epoch(), m.epoch(), m.trainLoss(),
                m.valLoss(), m.valAccuracy(), m.imagesPerSec(), m.seconds(), m.trainAccuracy(), m.trainSize());
    }

    private static void append(Path runDir, String line) {
        Path file = runDir.resolve(FILE);
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the metrics of the run in {@code runDir}.
     *
     * @throws IllegalArgumentException if the file is missing or a row is malformed
     */
    public static MetricsFile read(Path runDir) {
        return read(runDir, false);
    }

    /**
     * Reads the metrics of a run that may still be writing them: a last line not yet ended by a
     * newline is left for the next read instead of being refused as malformed.
     *
     * @throws IllegalArgumentException if the file is missing or a finished row is malformed
     */
    public static MetricsFile readGrowing(Path runDir) {
        return read(runDir, true);
    }

    private static MetricsFile read(Path runDir, boolean growing) {
        Path file = runDir.resolve(FILE);
        List<String> lines;
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (growing && !text.endsWith("\n")) {
                text = text.substring(0, text.lastIndexOf('\n') + 1);
            }
            lines = text.lines().toList();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(runDir + ": no " + FILE + " (not a run directory?)");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
        }
        List<TrainLossPoint> points = new ArrayList<>();
        List<EpochMetrics> epochs = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            try {
                switch (cells[0]) {
                    case "train" -> points.add(new TrainLossPoint(Double.parseDouble(cells[2]),
                            Double.parseDouble(cells[3])));
                    case "epoch" -> epochs.add(new EpochMetrics(Integer.parseInt(cells[1]),
                            Double.parseDouble(cells[3]), Double.parseDouble(cells[4]), Double.parseDouble(cells[5]),
                            Double.parseDouble(cells[6]), Double.parseDouble(cells[7]),
                            cells.length > 8 && !cells[8].isEmpty() ? Double.parseDouble(cells[8]) : Double.NaN,
                            cells.length > 9 && !cells[9].isEmpty() ? Integer.parseInt(cells[9]) : 0));
                    default -> throw new IllegalArgumentException("unknown kind '" + cells[0] + "'");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + " is malformed (" + e.getMessage() + ")");
            }
        }
        return new MetricsFile(points, epochs);
    }
}
