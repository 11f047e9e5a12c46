package dev.alexnet.spark;

import dev.alexnet.predict.ImageInput;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code batch-predict} does.
 *
 * @param weights the weights file (safetensors or NPZ) the network is loaded from
 * @param inputs directories, globs or files of pictures, or Parquet/CSV tables with a {@code path} or
 *     binary {@code content} column
 * @param output where the table of predictions goes (a directory, as Spark writes tables)
 * @param format parquet or csv
 * @param top how many classes per picture
 * @param batchSize how many pictures go through the network at once
 * @param master the Spark master ({@code local[*]}: an embedded Spark)
 * @param partitions how many partitions to spread the pictures over, or 0 for Spark's choice
 * @param overwrite whether an existing output may be replaced
 * @param invert how pictures are inverted, as in {@code predict}
 * @param singleFile whether the table is written as one file (one task writes it) rather than a file per partition
 * @param consoleProgress whether Spark draws its progress bar on standard error (for a terminal, not a log)
 */
public record BatchPredictConfig(Path weights, List<String> inputs, Path output, String format, int top, int batchSize,
        String master, int partitions, boolean overwrite, ImageInput.Invert invert, boolean singleFile,
        boolean consoleProgress) {

    /** A job that writes a file per partition and draws no progress bar. */
    public BatchPredictConfig(Path weights, List<String> inputs, Path output, String format, int top, int batchSize,
            String master, int partitions, boolean overwrite, ImageInput.Invert invert) {
        this(weights, inputs, output, format, top, batchSize, master, partitions, overwrite, invert, false, false);
    }

    /** The formats the predictions may be written in. */
    public static final List<String> FORMATS = List.of("parquet", "csv");

    public BatchPredictConfig {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("give at least one --input PATH");
        }
        if (!FORMATS.contains(format)) {
            throw new IllegalArgumentException("--format " + format + " is not one of " + FORMATS);
        }
        if (top < 1 || top > 10) {
            throw new IllegalArgumentException("--top " + top + " is out of range (1 to 10)");
        }
        if (batchSize < 1 || batchSize > 4096) {
            throw new IllegalArgumentException("--batch-size " + batchSize + " is out of range (1 to 4096)");
        }
        if (partitions < 0 || partitions > 1_000_000) {
            throw new IllegalArgumentException("--partitions " + partitions + " is out of range (1 to 1000000)");
        }
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("--master must name a Spark master (local[*], spark://HOST:PORT, yarn)");
        }
    }
}
