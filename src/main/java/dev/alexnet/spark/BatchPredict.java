package dev.alexnet.spark;

import dev.alexnet.io.Outputs;
import dev.alexnet.weights.WeightsFile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.util.LongAccumulator;

/**
 * Batch prediction on Apache Spark: every picture under the inputs gets the top-k classes that
 * {@code predict} would give it, one row each, written as a Parquet or CSV table. Spark lists and
 * reads the files (its {@code binaryFile} source), spreads them over executors, schedules and retries
 * tasks; each executor JVM loads the network once from the weights file shipped with the job.
 */
public final class BatchPredict {

    /**
     * What a job did.
     *
     * @param pictures rows written
     * @param failures pictures that could not be read (an {@code error} in their row)
     * @param seconds wall time of the job, start-up of Spark excluded
     * @param picturesPerSecond pictures per second of that time
     * @param modelLoads how many times an executor JVM loaded the network
     * @param executorProcesses the process ids of the JVMs that ran tasks
     */
    public record Summary(long pictures, long failures, double seconds, double picturesPerSecond, long modelLoads,
            java.util.Set<Long> executorProcesses) {}

    private BatchPredict() {}

    /**
     * Checks everything that can be checked before Spark starts: the weights (read and loaded once),
     * the inputs (local ones must exist), the output (absent unless overwriting, its folder writable).
     *
     * @throws IllegalArgumentException saying what is wrong, in one line
     */
    public static void check(BatchPredictConfig config) {
        WeightsFile.loadModel(config.weights(), WeightsFile.configFor(config.weights(), null, null), ai.djl.Device.cpu())
                .close();
        for (String input : config.inputs()) {
            checkInput(input);
        }
        if (Files.exists(config.output()) && !config.overwrite()) {
            throw new IllegalArgumentException(config.output() + " exists; give another --output or --overwrite");
        }
        // Spark writes the table as a directory of parts: its parent must take a new entry
        Outputs.checkFilesIn(config.output().toAbsolutePath().normalize().getParent(), List.of(), true);
    }

    private static void checkInput(String input) {
        if (input.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !input.startsWith("file:")) {
            return; // hdfs://, s3a://...: Spark checks those itself
        }
        String local = input.startsWith("file:") ? java.net.URI.create(input).getPath() : input;
        if (!local.contains("*") && !local.contains("?") && !local.contains("[") && !local.contains("{")) {
            if (!Files.exists(Path.of(local))) {
                throw new IllegalArgumentException("--input " + input + ": no such file or directory");
            }
            return;
        }
        Path pattern = Path.of(local).toAbsolutePath();
        Path dir = pattern.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--input " + input + ": no directory " + dir);
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern.getFileName());
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                if (matcher.matches(entry.getFileName())) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--input " + input + ": cannot list " + dir + " (" + e.getMessage() + ")");
        }
        throw new IllegalArgumentException("--input " + input + ": matches nothing");
    }

    /** Runs the job; {@code progress} is told what it is doing. */
    public static Summary run(BatchPredictConfig config, Consumer<String> progress) {
        check(config);
        SparkSession spark = SparkSession.builder()
                .master(config.master())
                .appName("alexnet batch-predict")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "true")
                .config("spark.sql.sources.binaryFile.maxLength", Integer.toString(Integer.MAX_VALUE - 64))
                // files shipped with sc.addFile (or spark-submit --files) reach the executors as SparkFiles
                .config("spark.sql.artifact.isolation.enabled", "false")
                // executors load PyTorch from the bundled jar, as the driver does: nothing is downloaded
                .config("spark.executor.extraJavaOptions", "-Dai.djl.offline=true -Djava.awt.headless=true")
                .config("spark.executorEnv.TORCH_CPP_LOG_LEVEL", "ERROR")
                .getOrCreate();
        try {
            return run(spark, config, progress);
        } finally {
            spark.stop();
        }
    }

    /** Runs the job on a session the caller made (and stops). */
    public static Summary run(SparkSession spark, BatchPredictConfig config, Consumer<String> progress) {
        long start = System.nanoTime();
        spark.sparkContext().addFile(config.weights().toAbsolutePath().toString());
        LongAccumulator loads = spark.sparkContext().longAccumulator("model loads");
        org.apache.spark.util.CollectionAccumulator<Long> processes = spark.sparkContext().collectionAccumulator("executor processes");
        Dataset<Row> pictures = pictures(spark, config.inputs());
        if (config.partitions() > 0) {
            pictures = pictures.repartition(config.partitions());
        }
        Dataset<PredictionRow> predictions = pictures.mapPartitions(new PredictPartition(
                config.weights().getFileName().toString(), null, config.top(), config.batchSize(), config.invert(),
                loads, processes), Encoders.bean(PredictionRow.class));
        List<PredictionRow> empty = emptyFiles(spark, config.inputs());
        if (!empty.isEmpty()) {
            predictions = predictions.union(spark.createDataset(empty, Encoders.bean(PredictionRow.class)));
        }
        Dataset<Row> table = predictions.select("path", "labels", "probabilities", "error");
        if (config.format().equals("csv")) {
            List<Column> columns = new ArrayList<>();
            columns.add(functions.col("path"));
            for (int i = 0; i < config.top(); i++) {
                columns.add(functions.col("labels").getItem(i).as("label_" + (i + 1)));
                columns.add(functions.col("probabilities").getItem(i).as("probability_" + (i + 1)));
            }
            columns.add(functions.col("error"));
            table = table.select(columns.toArray(new Column[0]));
        }
        progress.accept("classifying " + String.join(", ", config.inputs()) + " on " + config.master());
        table.write().mode(config.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                .option("header", "true")
                .format(config.format())
                .save(config.output().toAbsolutePath().toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        Dataset<Row> written = spark.read().format(config.format()).option("header", "true")
                .load(config.output().toAbsolutePath().toString());
        long count = written.count();
        long failures = written.filter(functions.col("error").isNotNull()).count();
        return new Summary(count, failures, seconds, count / seconds, loads.value(),
                java.util.Set.copyOf(processes.value()));
    }

    /** The inputs as rows of (path, content): pictures through Spark's binaryFile source, or tables. */
    private static Dataset<Row> pictures(SparkSession spark, List<String> inputs) {
        List<String> files = new ArrayList<>();
        Dataset<Row> all = null;
        for (String input : inputs) {
            String lower = input.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".parquet") || lower.endsWith(".csv")) {
                Dataset<Row> table = lower.endsWith(".csv") ? spark.read().option("header", "true").csv(input)
                        : spark.read().parquet(input);
                List<String> names = List.of(table.columns());
                Dataset<Row> rows;
                if (names.contains("content")) {
                    rows = table.select(names.contains("path") ? functions.col("path").cast("string")
                            : functions.monotonically_increasing_id().cast("string").as("path"), functions.col("content"));
                } else if (names.contains("path")) {
                    List<String> paths = table.select("path").as(Encoders.STRING()).collectAsList();
                    rows = paths.isEmpty() ? null : binaryFiles(spark, paths);
                } else {
                    throw new IllegalArgumentException("--input " + input + ": a table needs a 'path' or 'content' column");
                }
                if (rows != null) {
                    all = all == null ? rows : all.unionByName(rows);
                }
            } else {
                files.add(input);
            }
        }
        if (!files.isEmpty()) {
            Dataset<Row> rows = binaryFiles(spark, files);
            all = all == null ? rows : all.unionByName(rows);
        }
        if (all == null) {
            throw new IllegalArgumentException("no pictures in " + String.join(", ", inputs));
        }
        return all;
    }

    /**
     * Returns a row for each empty file under the picture inputs: Spark's file sources skip files of
     * no bytes, yet each input file gets its row.
     */
    private static List<PredictionRow> emptyFiles(SparkSession spark, List<String> inputs) {
        List<PredictionRow> rows = new ArrayList<>();
        org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        for (String input : inputs) {
            String lower = input.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".parquet") || lower.endsWith(".csv")) {
                continue;
            }
            try {
                org.apache.hadoop.fs.Path pattern = new org.apache.hadoop.fs.Path(input);
                org.apache.hadoop.fs.FileSystem fs = pattern.getFileSystem(hadoop);
                org.apache.hadoop.fs.FileStatus[] matches = fs.globStatus(pattern);
                for (org.apache.hadoop.fs.FileStatus match : matches == null ? new org.apache.hadoop.fs.FileStatus[0] : matches) {
                    org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files =
                            fs.listFiles(match.getPath(), true);
                    while (files.hasNext()) {
                        org.apache.hadoop.fs.LocatedFileStatus file = files.next();
                        String name = file.getPath().getName();
                        if (file.getLen() == 0 && !name.startsWith(".") && !name.startsWith("_")) {
                            rows.add(PredictionRow.of(file.getPath().toString(), null, null,
                                    file.getPath() + ": empty file"));
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("--input " + input + ": cannot be listed (" + e.getMessage() + ")");
            }
        }
        return rows;
    }

    private static Dataset<Row> binaryFiles(SparkSession spark, List<String> paths) {
        return spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                .load(paths.toArray(new String[0])).select("path", "content");
    }
}
