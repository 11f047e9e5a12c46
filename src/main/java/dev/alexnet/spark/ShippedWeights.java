package dev.alexnet.spark;

import java.io.Serializable;
import java.nio.file.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkFiles;

/**
 * The weights a job's tasks load, and their SHA-256, by which executors know the model: shipped with the job
 * ({@code SparkContext.addFile}, as {@code spark-submit --files}) to executors in other JVMs, or read where they
 * lie when the tasks run in the driver's own JVM (a local master), so a large file is not copied for nothing.
 *
 * @param name the file's name as shipped, or null when the tasks read {@code localPath}
 * @param localPath the absolute path the tasks read on a local master, or null
 * @param digest the file's SHA-256, in hex
 */
record ShippedWeights(String name, String localPath, String digest) implements Serializable {

    /** Ships {@code weights} with the job on {@code spark} (or not, on a local master). */
    static ShippedWeights of(SparkContext spark, Path weights) {
        Path file = weights.toAbsolutePath();
        String digest = BatchPredict.digest(file);
        if (spark.isLocal()) {
            return new ShippedWeights(null, file.toString(), digest);
        }
        spark.addFile(file.toString());
        return new ShippedWeights(file.getFileName().toString(), null, digest);
    }

    /** Where the weights lie in the JVM running a task. */
    Path path() {
        return localPath != null ? Path.of(localPath) : Path.of(SparkFiles.get(name));
    }

    /** The network for the task running now (loaded in this JVM once), open until the task completes. */
    ExecutorModel.Loaded use() {
        return ExecutorModel.use(path(), digest);
    }
}
