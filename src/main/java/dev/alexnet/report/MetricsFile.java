package dev.alexnet.report;

import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.TrainLossPoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's {@code metrics.csv}, read back: the train-loss curve and the per-epoch metrics.
 *
 * @param trainPoints the {@code train} rows
 * @param epochs the {@code epoch} rows
 */
public record MetricsFile(List<TrainLossPoint> trainPoints, List<EpochMetrics> epochs) {

    /** The file name in every run directory. */
    public static final String FILE = "metrics.csv";

    public MetricsFile {
        trainPoints = List.copyOf(trainPoints);
        epochs = List.copyOf(epochs);
    }

    /**
     * Reads the metrics of the run in {@code runDir}.
     *
     * @throws IllegalArgumentException if the file is missing or a row is malformed
     */
    public static MetricsFile read(Path runDir) {
        Path file = runDir.resolve(FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
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
                            cells.length > 8 && !cells[8].isEmpty() ? Double.parseDouble(cells[8]) : Double.NaN));
                    default -> throw new IllegalArgumentException("unknown kind '" + cells[0] + "'");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + ": line " + (i + 1) + " is malformed (" + e.getMessage() + ")");
            }
        }
        return new MetricsFile(points, epochs);
    }
}
