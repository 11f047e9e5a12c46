package dev.alexnet.spark;

import dev.alexnet.io.Outputs;
import dev.alexnet.weights.WeightsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.CollectionAccumulator;

/**
 * Batch prediction on Apache Spark: every picture under the inputs gets the top-k classes that
 * {@code predict} would give it, one row each, written as a Parquet or CSV table. The driver lists the
 * files ({@link PictureListing}); Spark spreads their paths over executors in tasks of about a thousand,
 * schedules and retries them; each task reads its own files, and each executor JVM loads the network once
 * from the weights file shipped with the job.
 */
public final class BatchPredict {

    /**
     * What a job did.
     *
     * @param pictures rows written
     * @param failures pictures that could not be read (an {@code error} in their row)
     * @param seconds wall time of the job, start-up of Spark excluded
     * @param picturesPerSecond pictures per second of that time
     * @param modelLoads how many loads of the network served tasks that finished (one per executor JVM, unless
     *     a JVM lost its copy); a load whose every task failed is not counted
     * @param executorProcesses the process ids of the JVMs whose tasks finished
     */
    public record Summary(long pictures, long failures, double seconds, double picturesPerSecond, long modelLoads,
            java.util.Set<Long> executorProcesses) {}

    /**
     * What an evaluation found.
     *
     * @param network the network scored
     * @param examples images scored
     * @param loss mean cross-entropy
     * @param accuracy share classified correctly
     * @param confusion counts, by true class (rows) and predicted class (columns)
     * @param seconds wall time of the job
     * @param modelLoads how many times an executor JVM loaded the network
     */
    public record EvaluationSummary(String network, long examples, double loss, double accuracy, long[][] confusion,
            double seconds, long modelLoads) {}

    /**
     * Returns the batch size {@code evaluate} scores {@code weights}' network in (the largest within
     * the memory budget, never below the book's 128): an evaluation's default, so that its batches, and
     * so its loss, are evaluate's.
     */
    public static int evaluationBatchSize(Path weights) {
        return dev.alexnet.model.EvaluationBatch.size(WeightsFile.configFor(weights, null, null),
                dev.alexnet.train.RunConfig.book().data().batchSize());
    }

    /** The batch a prediction job runs pictures in by default: {@code predict}'s for the same weights. */
    public static int predictionBatchSize(Path weights) {
        return dev.alexnet.model.EvaluationBatch.size(WeightsFile.configFor(weights, null, null), 1);
    }

    /**
     * Lets the tasks of a job on a local master (which run in this JVM) use {@code model}, already loaded, as the
     * network in {@code file} (its weights, exported): it is not loaded again. Takes the model over.
     */
    public static void share(dev.alexnet.model.Classifier model, Path file) {
        ExecutorModel.adopt(model, digest(file));
    }

    /** Whether a master runs the tasks in this JVM. */
    public static boolean isLocal(String master) {
        return master.equals("local") || master.startsWith("local[");
    }

    /** The file beside an evaluation's table that holds its accuracy, loss and confusion counts. */
    public static final String EVALUATION_FILE = "_evaluation.json";

    private BatchPredict() {}

    /**
     * Returns whether {@code inputs} is one Fashion-MNIST directory (its test images and labels as IDX
     * files): then batch-predict evaluates instead of classifying pictures.
     */
    public static boolean isEvaluation(List<String> inputs) {
        if (inputs.size() != 1 || inputs.get(0).contains("://")) {
            return false;
        }
        Path dir = Path.of(inputs.get(0));
        return Files.isDirectory(dir) && (Files.exists(dir.resolve("t10k-images-idx3-ubyte"))
                || Files.exists(dir.resolve("t10k-images-idx3-ubyte.gz")));
    }

    /**
     * Scores the network on the Fashion-MNIST test images in the input directory, spread over Spark's
     * executors: a row per image (index, label, predicted, probability, loss) and, beside the table,
     * {@value #EVALUATION_FILE} with the accuracy, the loss and the confusion counts.
     */
    public static EvaluationSummary evaluate(SparkSession spark, BatchPredictConfig config) {
        long start = System.nanoTime();
        dev.alexnet.data.DataConfig data = dev.alexnet.train.RunConfig.book().data()
                .withDataDir(Path.of(config.inputs().get(0))).withResize(dev.alexnet.data.FashionMnist.SIDE_PIXELS);
        List<Row> images = new ArrayList<>();
        try (dev.alexnet.data.FashionMnist mnist = dev.alexnet.data.FashionMnist.loadValidation(data)) {
            dev.alexnet.data.Split validation = mnist.validation();
            int bytes = validation.images().imageBytes();
            for (int i = 0; i < validation.size(); i++) {
                images.add(org.apache.spark.sql.RowFactory.create(i, validation.label(i),
                        java.util.Arrays.copyOfRange(validation.images().pixels(), i * bytes, (i + 1) * bytes)));
            }
        }
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
                .add("index", org.apache.spark.sql.types.DataTypes.IntegerType)
                .add("label", org.apache.spark.sql.types.DataTypes.IntegerType)
                .add("pixels", org.apache.spark.sql.types.DataTypes.BinaryType);
        ShippedWeights weights = ShippedWeights.of(spark.sparkContext(), config.weights());
        CollectionAccumulator<String> loads = spark.sparkContext().collectionAccumulator("model loads");
        Dataset<Row> rows = spark.createDataFrame(images, schema);
        int partitions = config.partitions() > 0 ? config.partitions() : spark.sparkContext().defaultParallelism();
        // whole batches of evaluate's in each partition, so each batch's loss is evaluate's to the bit
        rows = rows.withColumn("batch", functions.floor(functions.col("index").divide(config.batchSize())));
        Dataset<EvaluationRow> scored = rows.repartition(partitions, functions.col("batch")).drop("batch").mapPartitions(
                new EvaluatePartition(weights, config.batchSize(), loads),
                Encoders.bean(EvaluationRow.class));
        String out = config.output().toAbsolutePath().toString();
        scored.select("index", "label", "predicted", "probability", "loss", "batch", "batchLoss").write()
                .mode(config.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists).option("header", "true")
                .format(config.format()).save(out);
        Dataset<Row> written = spark.read().format(config.format()).option("header", "true")
                .option("inferSchema", "true").load(out);
        Row totals = written.agg(functions.count("index"),
                functions.sum(functions.when(functions.col("label").equalTo(functions.col("predicted")), 1).otherwise(0)))
                .first();
        long examples = totals.getLong(0);
        if (examples == 0) {
            throw new IllegalArgumentException("--input " + config.inputs().get(0) + ": no test images");
        }
        // evaluate's sum: each batch's float loss times its size, added in batch order
        double lossSum = 0;
        for (Row batch : written.groupBy("batch").agg(functions.first("batchLoss"), functions.count("index"))
                .orderBy("batch").collectAsList()) {
            lossSum += (float) ((Number) batch.get(1)).doubleValue() * (int) batch.getLong(2);
        }
        long[][] confusion = new long[10][10];
        for (Row cell : written.groupBy("label", "predicted").count().collectAsList()) {
            confusion[((Number) cell.get(0)).intValue()][((Number) cell.get(1)).intValue()] = cell.getLong(2);
        }
        String network = WeightsFile.configFor(config.weights(), null, null).name();
        EvaluationSummary summary = new EvaluationSummary(network, examples, lossSum / examples,
                (double) totals.getLong(1) / examples, confusion, (System.nanoTime() - start) / 1e9,
                java.util.Set.copyOf(loads.value()).size());
        dev.alexnet.io.AtomicFiles.writeString(config.output().resolve(EVALUATION_FILE),
                dev.alexnet.io.Json.pretty().toJson(java.util.Map.of("network", network, "examples", examples,
                        "loss", summary.loss(), "accuracy", summary.accuracy(), "classes",
                        dev.alexnet.data.FashionMnist.CLASS_NAMES, "confusion", confusion)) + "\n");
        return summary;
    }

    /**
     * Checks everything that can be checked before Spark starts: the weights (read and loaded once),
     * the inputs (local ones must exist), the output (absent unless overwriting, its folder writable).
     *
     * @throws IllegalArgumentException saying what is wrong, in one line
     */
    public static void check(BatchPredictConfig config) {
        if (isLocal(config.master())) {
            // the tasks run in this JVM: the network they will use is the one loaded to check it
            Path weights = config.weights().toAbsolutePath();
            ExecutorModel.release(ExecutorModel.acquire(weights, digest(weights)));
        } else {
            WeightsFile.loadModel(config.weights(), ai.djl.Device.cpu()).close();
        }
        if (isEvaluation(config.inputs())) {
            dev.alexnet.model.ModelConfig model = WeightsFile.configFor(config.weights(), null, null);
            if (!model.fashionMnist()) {
                throw new IllegalArgumentException("the model was trained on other pictures than Fashion-MNIST ("
                        + String.join(", ", model.classNames()) + "); it cannot be evaluated on Fashion-MNIST's test images");
            }
        }
        for (String input : config.inputs()) {
            PictureListing.check(input);
        }
        if (Files.exists(config.output()) && !config.overwrite()) {
            throw new IllegalArgumentException(config.output() + " exists; give another --output or --overwrite");
        }
        if (Files.exists(config.output())) {
            checkReplaceable(config);
        }
        // Spark writes the table as a directory of parts: its parent must take a new entry
        Outputs.checkFilesIn(config.output().toAbsolutePath().normalize().getParent(), List.of(), true);
    }

    /**
     * Refuses to replace an output that is not a table this command could have written, or that holds
     * or lies inside an input or the weights: Spark's overwrite deletes the whole path first.
     */
    private static void checkReplaceable(BatchPredictConfig config) {
        Path output = real(config.output());
        List<Path> used = new ArrayList<>();
        used.add(real(config.weights()));
        for (String input : config.inputs()) {
            if (PictureListing.isLocal(input)) {
                String local = PictureListing.localPath(input);
                Path path = Path.of(local.replaceAll("[*?\\[{].*$", "x")).toAbsolutePath();
                used.add(real(Files.exists(path) ? path : path.getParent()));
            }
        }
        for (Path path : used) {
            if (path.startsWith(output) || output.startsWith(path)) {
                throw new IllegalArgumentException("--output " + config.output() + " holds or lies in " + path
                        + ", which this job reads; --overwrite would delete it");
            }
        }
        if (Files.isDirectory(output)) {
            try (java.util.stream.Stream<Path> entries = Files.list(output)) {
                List<String> strangers = entries.map(p -> p.getFileName().toString())
                        .filter(name -> !name.startsWith("part-") && !name.startsWith(".part-") && !name.startsWith("_")
                                && !name.startsWith("._") && !name.startsWith(".") ).toList();
                if (!strangers.isEmpty()) {
                    throw new IllegalArgumentException("--output " + config.output() + " holds " + strangers.get(0)
                            + ", not a table this command wrote; it is not replaced");
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("--output " + config.output() + ": cannot be listed (" + e.getMessage() + ")");
            }
        } else {
            throw new IllegalArgumentException("--output " + config.output() + " is a file, not a table this command "
                    + "wrote; it is not replaced");
        }
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    /** Runs the job; {@code progress} is told what it is doing. */
    public static Summary run(BatchPredictConfig config, Consumer<String> progress) {
        check(config);
        SparkSession spark = session(config);
        try {
            return run(spark, config, progress);
        } finally {
            spark.stop();
        }
    }

    /** Evaluates as {@link #evaluate(SparkSession, BatchPredictConfig)} on a session of its own. */
    public static EvaluationSummary evaluate(BatchPredictConfig config) {
        check(config);
        SparkSession spark = session(config);
        try {
            return evaluate(spark, config);
        } finally {
            spark.stop();
        }
    }

    private static SparkSession session(BatchPredictConfig config) {
        return SparkSession.builder()
                .master(config.master())
                .appName("alexnet batch-predict")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", Boolean.toString(config.consoleProgress()))
                // files shipped with sc.addFile (or spark-submit --files) reach the executors as SparkFiles
                .config("spark.sql.artifact.isolation.enabled", "false")
                // executors load PyTorch from the bundled jar, as the driver does: nothing is downloaded
                .config("spark.executor.extraJavaOptions", "-Dai.djl.offline=true -Djava.awt.headless=true")
                .config("spark.executorEnv.TORCH_CPP_LOG_LEVEL", "ERROR")
                .getOrCreate();
    }

    /** Runs the job on a session the caller made (and stops). */
    public static Summary run(SparkSession spark, BatchPredictConfig config, Consumer<String> progress) {
        long start = System.nanoTime();
        ShippedWeights weights = ShippedWeights.of(spark.sparkContext(), config.weights());
        CollectionAccumulator<String> loads = spark.sparkContext().collectionAccumulator("model loads");
        CollectionAccumulator<String> counts = spark.sparkContext().collectionAccumulator("rows by partition");
        String driverDirectory = new org.apache.hadoop.fs.Path(Path.of("").toAbsolutePath().toUri()).toString() + "/";
        progress.accept("listing " + String.join(", ", config.inputs()));
        JavaRDD<Row> pictures = pictures(spark, config);
        JavaRDD<Row> predicted = pictures.mapPartitions(new PredictPartition(weights, driverDirectory, config.top(), config.batchSize(), config.invert(), loads, counts));
        Dataset<Row> table = spark.createDataFrame(predicted, PredictionRow.SCHEMA);
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
        if (config.singleFile()) {
            // a shuffle to one partition after the predictions, so the network still runs on every partition
            table = table.repartition(1);
        }
        progress.accept("classifying " + String.join(", ", config.inputs()) + " on " + config.master());
        String out = config.output().toAbsolutePath().toString();
        table.write().mode(config.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists)
                .option("header", "true")
                .format(config.format())
                .save(out);
        double seconds = (System.nanoTime() - start) / 1e9;
        // each partition's rows once, however often its task ran: exact without reading the table back
        long[] total = PredictPartition.total(counts.value());
        long count = total[0];
        java.util.Set<String> used = java.util.Set.copyOf(loads.value());
        java.util.Set<Long> processes = new java.util.TreeSet<>();
        used.forEach(id -> processes.add(Long.parseLong(id.substring(0, id.indexOf(':')))));
        return new Summary(count, total[1], seconds, count / seconds, used.size(), processes);
    }

    private static final java.util.Map<String, String> DIGESTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** The SHA-256 of the weights, by which every executor knows the model it loads (read once per file version). */
    static String digest(Path weights) {
        try {
            Path file = weights.toAbsolutePath();
            String version = file + "|" + Files.size(file) + "|" + Files.getLastModifiedTime(file).toMillis();
            String known = DIGESTS.get(version);
            if (known == null) {
                known = dev.alexnet.io.Digests.sha256Hex(file);
                DIGESTS.put(version, known);
            }
            return known;
        } catch (IOException e) {
            throw new IllegalArgumentException(weights + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /**
     * The inputs as rows of (path, content): the picture files under the inputs, listed here on the driver
     * (so relative paths mean its working directory), with no content (each task reads its files, so a file
     * that cannot be read is its own row's error, not the job's); a table's paths, with no content; or a
     * table's binary content.
     */
    private static JavaRDD<Row> pictures(SparkSession spark, BatchPredictConfig config) {
        List<String> files = new ArrayList<>();
        Dataset<Row> tables = null;
        Column noContent = functions.lit(null).cast(org.apache.spark.sql.types.DataTypes.BinaryType).as("content");
        org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        for (String input : config.inputs()) {
            String lower = input.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".parquet") || lower.endsWith(".csv")) {
                Dataset<Row> table = lower.endsWith(".csv") ? spark.read().option("header", "true").csv(input)
                        : spark.read().parquet(input);
                List<String> names = List.of(table.columns());
                Dataset<Row> rows;
                if (names.contains("content")) {
                    if (!(table.schema().apply("content").dataType() instanceof org.apache.spark.sql.types.BinaryType)) {
                        throw new IllegalArgumentException("--input " + input + ": its 'content' column holds "
                                + table.schema().apply("content").dataType().simpleString() + ", not binary");
                    }
                    rows = table.select(names.contains("path") ? functions.col("path").cast("string")
                            : functions.monotonically_increasing_id().cast("string").as("path"), functions.col("content"));
                } else if (names.contains("path")) {
                    rows = table.select(functions.col("path").cast("string"), noContent);
                } else {
                    throw new IllegalArgumentException("--input " + input + ": a table needs a 'path' or 'content' column");
                }
                tables = tables == null ? rows : tables.unionByName(rows);
            } else {
                files.addAll(PictureListing.list(input, hadoop));
            }
        }
        JavaRDD<Row> all = null;
        if (!files.isEmpty()) {
            java.util.Collections.sort(files);
            int slices = config.partitions() > 0 ? config.partitions()
                    : slices(files.size(), spark.sparkContext().defaultParallelism(), config.batchSize());
            all = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(files, slices)
                    .map(path -> RowFactory.create(path, null));
        }
        if (tables != null) {
            JavaRDD<Row> rows = tables.toJavaRDD();
            if (config.partitions() > 0) {
                rows = rows.repartition(config.partitions());
            }
            all = all == null ? rows : all.union(rows);
        }
        if (all == null) {
            throw new IllegalArgumentException("no pictures in " + String.join(", ", config.inputs()));
        }
        return all;
    }

    /**
     * How many tasks share {@code files} pictures: about 1,024 each (a task's start costs a few milliseconds,
     * and its batches are full), but at least two for each core while that leaves a batch to each.
     */
    static int slices(int files, int parallelism, int batchSize) {
        long bySize = (files + 1023L) / 1024;
        long byCores = 2L * parallelism;
        long mostWithFullBatches = Math.max(1, files / Math.max(1, Math.min(batchSize, 64)));
        return (int) Math.max(1, Math.min(mostWithFullBatches, Math.max(bySize, byCores)));
    }
}
