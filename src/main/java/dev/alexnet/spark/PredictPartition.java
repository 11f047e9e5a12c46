package dev.alexnet.spark;

import ai.djl.ndarray.NDArray;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.CollectionAccumulator;

/**
 * What each task runs on its partition of pictures: reads each picture's bytes as {@code predict}
 * reads a file (the same decoding, trimming and fitting), runs them through the network in batches,
 * and answers one row per picture ({@link PredictionRow}), with the reason instead of labels when a picture
 * cannot be read. Two batches are held at a time: the one the network runs and the next, being decoded.
 */
final class PredictPartition implements FlatMapFunction<Iterator<Row>, Row> {

    private static final long serialVersionUID = 1L;

    private final ShippedWeights weights;
    private final String driverDirectory;
    private final int top;
    private final int batchSize;
    private final ImageInput.Invert invert;
    private final CollectionAccumulator<String> loads;
    private final CollectionAccumulator<String> counts;

    /**
     * @param weights the weights the tasks load
     * @param driverDirectory the driver's working directory, as a URI: a relative path in a table means a file there
     * @param loads told, by each task that finishes, which load of the network it used
     * @param counts told, by each task that finishes, "partition:rows:errors" (the same for every attempt)
     */
    PredictPartition(ShippedWeights weights, String driverDirectory, int top, int batchSize,
            ImageInput.Invert invert, CollectionAccumulator<String> loads, CollectionAccumulator<String> counts) {
        this.weights = weights;
        this.driverDirectory = driverDirectory;
        this.top = top;
        this.batchSize = batchSize;
        this.invert = invert;
        this.loads = loads;
        this.counts = counts;
    }

    /** Sums the counts tasks reported, once for each partition however often it ran: {rows, errors}. */
    static long[] total(List<String> reports) {
        java.util.Map<String, String> byPartition = new java.util.HashMap<>();
        for (String report : reports) {
            byPartition.put(report.substring(0, report.indexOf(':')), report);
        }
        long[] total = new long[2];
        for (String report : byPartition.values()) {
            String[] parts = report.split(":");
            total[0] += Long.parseLong(parts[1]);
            total[1] += Long.parseLong(parts[2]);
        }
        return total;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        ExecutorModel.Loaded loaded = weights.use();
        loads.add(loaded.id());
        Pipeline pipeline = new Pipeline(loaded, rows);
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) context -> pipeline.close());
        }
        return pipeline;
    }

    /** Threads that read and decode pictures for the tasks of this JVM, as many as it has cores. */
    private static final class Readers {
        static final ExecutorService POOL = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
                runnable -> {
                    Thread thread = new Thread(runnable, "picture-reader");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * A partition's answers, a batch at a time: while the network runs one batch, the readers read and decode
     * the next (as {@code predict} does), so the cores are busy with both.
     */
    private final class Pipeline implements Iterator<Row> {
        private final ExecutorModel.Loaded loaded;
        private final Iterator<Row> rows;
        private final ArrayDeque<Row> ready = new ArrayDeque<>();
        private Prepared upcoming;
        private long answered;
        private long errors;
        private boolean reported;

        Pipeline(ExecutorModel.Loaded loaded, Iterator<Row> rows) {
            this.loaded = loaded;
            this.rows = rows;
            this.upcoming = rows.hasNext() ? prepare(loaded, rows) : null;
        }

        @Override
        public boolean hasNext() {
            if (ready.isEmpty() && upcoming != null) {
                Prepared current = upcoming;
                // the rows are taken on the task's thread; only reading and decoding go to the readers
                upcoming = rows.hasNext() ? prepare(loaded, rows) : null;
                try {
                    List<Row> answers = answer(loaded, current);
                    answered += answers.size();
                    errors += answers.stream().filter(row -> !row.isNullAt(3)).count();
                    ready.addAll(answers);
                } finally {
                    current.manager().close();
                }
            }
            if (ready.isEmpty() && !reported) {
                reported = true;
                TaskContext task = TaskContext.get();
                counts.add((task != null ? task.partitionId() : 0) + ":" + answered + ":" + errors);
            }
            return !ready.isEmpty();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        /** Frees a batch still being prepared when the task ends early (killed, or its output failed). */
        void close() {
            Prepared left = upcoming;
            upcoming = null;
            if (left != null) {
                left.images().forEach(future -> future.cancel(true));
                for (Future<NDArray> future : left.images()) {
                    try {
                        future.get();
                    } catch (Exception e) {
                        // cancelled or failed: either way it no longer writes into the manager
                    }
                }
                left.manager().close();
            }
        }
    }

    /** A batch being read and decoded: its rows' paths and each picture's image to come. */
    private record Prepared(List<String> paths, List<Future<NDArray>> images, NDManager manager) {}

    /** Takes up to a batch of rows (path, content or null to read it) and sets the readers on them. */
    private Prepared prepare(ExecutorModel.Loaded loaded, Iterator<Row> rows) {
        NDManager manager = loaded.model().model().getNDManager().newSubManager();
        List<String> paths = new ArrayList<>();
        List<Future<NDArray>> images = new ArrayList<>();
        while (paths.size() < batchSize && rows.hasNext()) {
            Row row = rows.next();
            String path = row.isNullAt(0) ? null : row.getString(0);
            byte[] content = row.isNullAt(1) ? null : (byte[]) row.get(1);
            paths.add(path);
            images.add(Readers.POOL.submit(() -> image(loaded, path, content, manager)));
        }
        return new Prepared(paths, images, manager);
    }

    /** Reads (unless the row holds its bytes) and decodes one picture; refusals name it. */
    private NDArray image(ExecutorModel.Loaded loaded, String path, byte[] content, NDManager manager) {
        String name = path != null ? path : "a row";
        byte[] bytes = content;
        if (bytes == null) {
            String[] why = {"no path"};
            bytes = path == null ? null : read(resolve(path, driverDirectory), why);
            if (bytes == null) {
                throw new IllegalArgumentException(name + ": " + why[0]);
            }
        }
        return ImageInput.toTensor(ImageInput.decode(bytes, name, loaded.model().config()), manager, invert,
                loaded.model().config());
    }

    /**
     * Returns where a path names a file: one with a scheme (file:, hdfs:, s3a:...) or absolute as it is, a
     * relative one in the driver's working directory (an executor's own is elsewhere).
     */
    static String resolve(String path, String driverDirectory) {
        if (path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") || path.startsWith("/")) {
            return path;
        }
        return new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(driverDirectory), path).toString();
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

    /** Answers a prepared batch, in order: the network runs one batch at a time in this JVM. */
    private List<Row> answer(ExecutorModel.Loaded loaded, Prepared batch) {
        List<String> paths = batch.paths();
        String[] errors = new String[paths.size()];
        NDList images = new NDList();
        for (int i = 0; i < paths.size(); i++) {
            try {
                images.add(batch.images().get(i).get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading pictures", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                // whatever a file does to the decoder, it is that file's row, never the job's failure
                errors[i] = cause instanceof IllegalArgumentException ? Messages.firstLine(cause.getMessage())
                        : (paths.get(i) != null ? paths.get(i) : "a row") + ": cannot be decoded ("
                                + cause.getClass().getSimpleName() + ": " + Messages.firstLine(cause.getMessage()) + ")";
            }
        }
        List<List<Predictor.Prediction>> tops;
        synchronized (loaded) {
            tops = images.isEmpty() ? List.of() : loaded.predictor().top(NDArrays.stack(images), top);
        }
        List<Row> answers = new ArrayList<>();
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
        return answers;
    }
}
