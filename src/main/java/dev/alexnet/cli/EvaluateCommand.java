package dev.alexnet.cli;

import ai.djl.Device;
import dev.alexnet.data.DataConfig;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.train.Classifier;
import dev.alexnet.train.Evaluation;
import dev.alexnet.run.Json;
import dev.alexnet.train.RunConfig;
import dev.alexnet.run.RunDirectory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code alexnet evaluate}: a trained model's loss and accuracy on the validation set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Score a trained model on the validation set, with the configuration it was trained with.")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model-dir", required = true, paramLabel = "DIR",
            description = "A run directory written by 'alexnet train'.")
    Path modelDir;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory with the Fashion-MNIST IDX files (default: the one the run used).")
    Path dataDir;

    @Option(names = "--val-limit", converter = Converters.PositiveInt.class, paramLabel = "N",
            description = "Score only the first N validation images (default: as many as the run validated on).")
    Integer valLimit;

    @Option(names = "--all", description = "Score all 10,000 validation images, whatever the run used.")
    boolean all;

    @Option(names = "--batch-size", converter = Converters.PositiveInt.class, paramLabel = "N",
            description = "Examples per batch (default: the run's).")
    Integer batchSize;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Mixin
    ComputeOptions compute;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Device device = compute.apply();
        RunConfig run = RunDirectory.readConfig(modelDir);
        DataConfig saved = run.data();
        Integer examples = all ? null : (valLimit != null ? valLimit : saved.valLimit());
        // Only validation is scored, so the training split is cut to one example to load it cheaply.
        DataConfig dataConfig = new DataConfig(dataDir != null ? dataDir : saved.dataDir(),
                batchSize != null ? batchSize : saved.batchSize(), saved.resize(), 1, examples, saved.seed());
        try (FashionMnist data = FashionMnist.load(dataConfig);
                Classifier classifier = RunDirectory.loadModel(modelDir, device);
                var manager = classifier.model().getNDManager().newSubManager()) {
            Evaluation result = classifier.evaluate(data.validationBatches(manager));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Json.compact().toJson(result));
            } else {
                out.printf(Locale.ROOT, "%s on %d validation images: loss %.4f  accuracy %.4f%n",
                        run.model().name(), result.examples(), result.loss(), result.accuracy());
            }
        }
        return 0;
    }
}
