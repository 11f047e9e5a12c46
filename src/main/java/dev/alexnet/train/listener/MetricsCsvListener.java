package dev.alexnet.train.listener;

import dev.alexnet.run.AtomicFiles;
import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.FitPlan;
import dev.alexnet.train.TrainLossPoint;
import dev.alexnet.train.TrainingListener;
import dev.alexnet.train.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Keeps {@code metrics.csv} in the run directory: a {@code train} row at each point of the
 * train-loss curve (twice per epoch, as the book plots it) and an {@code epoch} row per epoch.
 *
 * <p>Columns: {@code kind,epoch,x,trainLoss,valLoss,valAccuracy,imagesPerSec,seconds,trainAccuracy}; {@code x} is
 * the position in epochs. A resumed run first rewrites the file from its checkpoint, so rows written
 * after that checkpoint by the interrupted process do not appear twice.
 */
public final class MetricsCsvListener implements TrainingListener {

    /** The file name in every run directory. */
    public static final String FILE = "metrics.csv";

    static final String HEADER = "kind,epoch,x,trainLoss,valLoss,valAccuracy,imagesPerSec,seconds,trainAccuracy";

    private final Path file;

    /** Keeps the metrics of the run in {@code runDir}. */
    public MetricsCsvListener(Path runDir) {
        this.file = runDir.resolve(FILE);
    }

    @Override
    public void onFitStart(FitPlan plan, TrainingState start) {
        record Row(double x, int order, String line) {}
        List<Row> rows = new ArrayList<>();
        start.trainPoints().forEach(p -> rows.add(new Row(p.x(), 0, trainRow(p))));
        start.history().forEach(m -> rows.add(new Row(m.epoch(), 1, epochRow(m))));
        rows.sort(Comparator.comparingDouble(Row::x).thenComparingInt(Row::order));
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        rows.forEach(row -> text.append(row.line()).append('\n'));
        AtomicFiles.writeString(file, text.toString());
    }

    @Override
    public void onTrainLossPoint(TrainLossPoint point) {
        append(trainRow(point));
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics) {
        append(epochRow(metrics));
    }

    private static String trainRow(TrainLossPoint p) {
        return String.format(Locale.ROOT, "train,%d,%s,%s,,,,,", (int) Math.ceil(p.x()), p.x(), p.trainLoss());
    }

    private static String epochRow(EpochMetrics m) {
        return String.format(Locale.ROOT, "epoch,%d,%d,%s,%s,%s,%s,%s,%s", m.epoch(), m.epoch(), m.trainLoss(),
                m.valLoss(), m.valAccuracy(), m.imagesPerSec(), m.seconds(), m.trainAccuracy());
    }

    private void append(String line) {
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }
}
