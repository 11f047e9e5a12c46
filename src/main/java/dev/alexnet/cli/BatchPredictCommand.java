package dev.alexnet.cli;

import dev.alexnet.predict.ImageInput;
import dev.alexnet.run.RunDirectory;
import dev.alexnet.model.Classifier;
import dev.alexnet.spark.BatchPredict;
import dev.alexnet.spark.BatchPredictConfig;
import dev.alexnet.weights.WeightsFile;
import dev.alexnet.weights.WeightsFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code alexnet batch-predict}: {@code predict} over many pictures on Apache Spark. */
@Command(name = "batch-predict", mixinStandardHelpOptions = true,
        description = {"Classify every picture under the inputs on Apache Spark (an embedded one by default) and "
                + "write one row per picture: path, top-k labels and probabilities, and an error for a file that "
                + "is not a readable image. The same preprocessing and network as 'predict'.",
            "On a cluster: spark-submit --class dev.alexnet.cli.AlexNetCommand target/alexnet-job.jar "
                + "batch-predict --master yarn --input PATH --output OUT (the jar: mvn package -Pspark-job; see docs/spark.md)."})
final class BatchPredictCommand implements Callable<Integer> {

    @Option(names = "--weights", paramLabel = "PATH", description = ModelSource.WEIGHTS_HELP)
    Path weights;

    /** The old spelling of {@code --weights} for a run directory. */
    @Option(names = "--model-dir", hidden = true, paramLabel = "DIR")
    Path modelDir;

    @Option(names = "--input", required = true, arity = "1..*", paramLabel = "PATH", hideParamSyntax = true,
            description = "Directories (searched recursively), globs or picture files, or Parquet/CSV tables "
                    + "(*.parquet, *.csv) with a 'path' or binary 'content' column; repeatable. Any Hadoop URI works. "
                    + "A Fashion-MNIST directory (t10k-*-idx*-ubyte[.gz]) alone: evaluate on its test images "
                    + "(accuracy, loss, confusion counts, as 'evaluate --all').")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--output", required = true, paramLabel = "OUT", description = "Where the table goes (a directory).")
    Path output;

    @Option(names = "--format", defaultValue = "parquet", paramLabel = "parquet|csv",
            description = "Table format (default: ${DEFAULT-VALUE}); CSV has columns label_1, probability_1, ...")
    String format;

    @Option(names = "--single-file", description = "Write the table as one file in OUT (one header for CSV) instead of "
            + "one file per partition.")
    boolean singleFile;

    @Option(names = "--overwrite", description = "Replace OUT if it exists (default: refuse).")
    boolean overwrite;

    @Option(names = "--top", defaultValue = "3", converter = Converters.PositiveInt.class, paramLabel = "K",
            description = "How many classes per picture (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--batch-size", converter = Converters.BatchSize.class, paramLabel = "N",
            description = "Pictures per engine batch in each task (default: predict's for the model; for an evaluation, "
                    + "evaluate's).")
    Integer batchSize;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: spark-submit's --master when run by spark-submit, else local[*], an "
                    + "embedded Spark on this machine's cores).")
    String master;

    @Option(names = "--partitions", defaultValue = "0", converter = Converters.NonNegativeInt.class, paramLabel = "N",
            description = "Spread the pictures over N partitions (default: Spark's choice by file sizes).")
    int partitions;

    @Option(names = "--invert", defaultValue = "auto", converter = Converters.InvertChoice.class, paramLabel = "auto|yes|no",
            description = "As in predict (default: ${DEFAULT-VALUE}).")
    ImageInput.Invert invert;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path source = ModelSource.resolve(spec, weights, modelDir);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path exported = null;
        try {
            Path file = source;
            // spark-submit passes its --master as the system property spark.master
            String chosen = master != null ? master : System.getProperty("spark.master", "local[*]");
            if (Files.isDirectory(source)) {
                // the job ships one weights file to its executors: the run's model, exported
                exported = Files.createTempFile("alexnet-batch-", ".safetensors");
                Files.delete(exported);
                Classifier model = RunDirectory.loadModel(source, ai.djl.Device.cpu());
                try {
                    WeightsFile.export(model, exported, WeightsFormat.SAFETENSORS);
                } catch (RuntimeException e) {
                    model.close();
                    throw e;
                }
                if (BatchPredict.isLocal(chosen)) {
                    BatchPredict.share(model, exported); // the tasks run here: the model loaded once
                } else {
                    model.close();
                }
                file = exported;
            }
            BatchPredictConfig config;
            try {
                int batch = batchSize != null ? batchSize : BatchPredict.isEvaluation(inputs)
                        ? BatchPredict.evaluationBatchSize(file) : BatchPredict.predictionBatchSize(file);
                config = new BatchPredictConfig(file, inputs, output, format.toLowerCase(Locale.ROOT), top, batch,
                        chosen, partitions, overwrite, invert, singleFile, AlexNetCommand.stderrTerminal());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            if (BatchPredict.isEvaluation(config.inputs())) {
                BatchPredict.EvaluationSummary evaluation = BatchPredict.evaluate(config);
                out.printf(Locale.ROOT, "%s on %d validation images: loss %.4f  accuracy %.4f%n", evaluation.network(),
                        evaluation.examples(), evaluation.loss(), evaluation.accuracy());
                out.printf(Locale.ROOT, "wrote %s (%s, a row per image) and %s in it (accuracy, loss, confusion counts); "
                        + "%.1f s; the network loaded %d time(s)%n", output, config.format(), BatchPredict.EVALUATION_FILE,
                        evaluation.seconds(), evaluation.modelLoads());
                return 0;
            }
            BatchPredict.Summary summary = BatchPredict.run(config, line -> {
                err.println(line);
                err.flush();
            });
            out.printf(Locale.ROOT, "wrote %s (%s): %d pictures, %d could not be read; %.1f s, %.1f pictures/s; "
                    + "the network loaded %d time(s) in %d executor JVM(s)%n", output, config.format(), summary.pictures(),
                    summary.failures(), summary.seconds(), summary.picturesPerSecond(), summary.modelLoads(),
                    summary.executorProcesses().size());
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (exported != null) {
                try {
                    Files.deleteIfExists(exported);
                } catch (IOException e) {
                    err.println("batch-predict: could not remove " + exported + ": " + e.getMessage());
                }
            }
        }
    }
}
