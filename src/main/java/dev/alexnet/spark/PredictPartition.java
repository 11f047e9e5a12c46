package dev.alexnet.spark;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.alexnet.io.Messages;
import dev.alexnet.predict.ImageInput;
import dev.alexnet.predict.Predictor;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * What each task runs on its partition of pictures: reads each picture's bytes as {@code predict}
 * reads a file (the same decoding, trimming and fitting), runs them through the network in batches,
 * and answers one row per picture, with the reason instead of labels when a picture cannot be read.
 * Only one batch of pictures is held at a time.
 */
final class PredictPartition implements MapPartitionsFunction<Row, PredictionRow> {

    private static final long serialVersionUID = 1L;

    private final String weightsName;
    private final String weightsPath;
    private final int top;
    private final int batchSize;
    private final ImageInput.Invert invert;
    private final LongAccumulator loads;
    private final CollectionAccumulator<Long> processes;

    /**
     * @param weightsName the weights file's name as shipped with the job ({@code SparkFiles}), or null
     * @param weightsPath a path every executor can read, used when nothing was shipped
     */
    PredictPartition(String weightsName, String weightsPath, int top, int batchSize, ImageInput.Invert invert,
            LongAccumulator loads, CollectionAccumulator<Long> processes) {
        this.weightsName = weightsName;
        this.weightsPath = weightsPath;
        this.top = top;
        this.batchSize = batchSize;
        this.invert = invert;
        this.loads = loads;
        this.processes = processes;
    }

    @Override
    public Iterator<PredictionRow> call(Iterator<Row> rows) {
        Path weights = Path.of(weightsName != null ? SparkFiles.get(weightsName) : weightsPath);
        ExecutorModel.Loaded loaded = ExecutorModel.get(weights, () -> loads.add(1));
        processes.add(ProcessHandle.current().pid());
        return new Iterator<>() {
            private final ArrayDeque<PredictionRow> ready = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && rows.hasNext()) {
                    ready.addAll(predictBatch(loaded, rows));
                }
                return !ready.isEmpty();
            }

            @Override
            public PredictionRow next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    /** One Hadoop configuration per JVM: making one reads its XML resources, too slow to do per file. */
    private static final class Hadoop {
        static final org.apache.hadoop.conf.Configuration CONFIGURATION = new org.apache.hadoop.conf.Configuration();
    }

    /** The largest file read as a picture: far beyond any picture the decoder admits (50 megapixels). */
    static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

    /**
     * Reads a file through Hadoop's file system (local, HDFS, S3...), or returns null with the reason
     * in {@code why[0]}: missing, unreadable, empty, or larger than {@link #MAX_FILE_BYTES}.
     */
    private static byte[] read(String path, String[] why) {
        try {
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(path);
            org.apache.hadoop.fs.FileSystem fs = file.getFileSystem(Hadoop.CONFIGURATION);
            long length = fs.getFileStatus(file).getLen();
            if (length == 0) {
                why[0] = "empty file";
                return null;
            }
            if (length > MAX_FILE_BYTES) {
                why[0] = "a file of " + length + " bytes, larger than the " + (MAX_FILE_BYTES >> 20) + " MB a picture may have";
                return null;
            }
            try (java.io.InputStream in = fs.open(file)) {
                return in.readNBytes((int) length);
            }
        } catch (java.io.IOException | RuntimeException e) {
            why[0] = "cannot be read (" + Messages.firstLine(e.getMessage()) + ")";
            return null;
        }
    }

    /** Takes up to a batch of rows (path, content or null to read it) and answers them, in order. */
    private List<PredictionRow> predictBatch(ExecutorModel.Loaded loaded, Iterator<Row> rows) {
        List<String> paths = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        List<String> unread = new ArrayList<>();
        while (paths.size() < batchSize && rows.hasNext()) {
            Row row = rows.next();
            String path = row.getString(0);
            paths.add(path);
            String[] why = new String[1];
            contents.add(row.isNullAt(1) ? read(path, why) : (byte[]) row.get(1));
            unread.add(why[0]);
        }
        List<PredictionRow> answers = new ArrayList<>();
        try (NDManager manager = loaded.model().model().getNDManager().newSubManager()) {
            // decoding runs beside other tasks' inference; the network runs one batch at a time
            String[] errors = new String[paths.size()];
            NDList images = new NDList();
            for (int i = 0; i < paths.size(); i++) {
                try {
                    if (contents.get(i) == null) {
                        throw new IllegalArgumentException(paths.get(i) + ": " + unread.get(i));
                    }
                    images.add(ImageInput.toTensor(ImageInput.decode(contents.get(i), paths.get(i),
                            loaded.model().config()), manager, invert, loaded.model().config()));
                } catch (RuntimeException | OutOfMemoryError e) {
                    // whatever a file does to the decoder, it is that file's row, never the job's failure
                    errors[i] = e instanceof IllegalArgumentException ? Messages.firstLine(e.getMessage())
                            : paths.get(i) + ": cannot be decoded (" + e.getClass().getSimpleName() + ": "
                                    + Messages.firstLine(e.getMessage()) + ")";
                }
            }
            List<List<Predictor.Prediction>> tops;
            synchronized (loaded) {
                tops = images.isEmpty() ? List.of() : loaded.predictor().top(NDArrays.stack(images), top);
            }
            int next = 0;
            for (int i = 0; i < paths.size(); i++) {
                if (errors[i] != null) {
                    answers.add(PredictionRow.of(paths.get(i), null, null, errors[i]));
                } else {
                    List<Predictor.Prediction> best = tops.get(next++);
                    answers.add(PredictionRow.of(paths.get(i), best.stream().map(Predictor.Prediction::label).toList(),
                            best.stream().map(Predictor.Prediction::probability).toList(), null));
                }
            }
        }
        return answers;
    }
}
