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

    /** Takes up to a batch of rows (path, content) and answers them, in order. */
    private List<PredictionRow> predictBatch(ExecutorModel.Loaded loaded, Iterator<Row> rows) {
        List<String> paths = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        while (paths.size() < batchSize && rows.hasNext()) {
            Row row = rows.next();
            paths.add(row.getString(0));
            contents.add(row.isNullAt(1) ? null : (byte[]) row.get(1));
        }
        List<PredictionRow> answers = new ArrayList<>();
        try (NDManager manager = loaded.model().model().getNDManager().newSubManager()) {
            // decoding runs beside other tasks' inference; the network runs one batch at a time
            String[] errors = new String[paths.size()];
            NDList images = new NDList();
            for (int i = 0; i < paths.size(); i++) {
                try {
                    if (contents.get(i) == null) {
                        throw new IllegalArgumentException(paths.get(i) + ": no content");
                    }
                    images.add(ImageInput.toTensor(ImageInput.decode(contents.get(i), paths.get(i)), manager, invert));
                } catch (IllegalArgumentException e) {
                    errors[i] = Messages.firstLine(e.getMessage());
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
