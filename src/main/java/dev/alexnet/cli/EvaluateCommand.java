package dev.alexnet.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.alexnet.data.BatchStream;
import dev.alexnet.data.DataConfig;
import dev.alexnet.data.DataModule;
import dev.alexnet.model.MemoryEstimate;
import dev.alexnet.model.ModelConfig;
import picocli.CommandLine;
import dev.alexnet.model.Classifier;
import dev.alexnet.model.Evaluation;
import dev.alexnet.model.EvaluationBatch;
import dev.alexnet.io.Json;
import dev.alexnet.io.Outputs;
import dev.alexnet.train.RunConfig;
import dev.alexnet.run.RunDirectory;
import dev.alexnet.report.ValidationReport;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
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

    @Mixin
    ModelSource source;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Directory with the Fashion-MNIST IDX files (default: the one the run used).")
    Path dataDir;

    @Option(names = "--val-limit", converter = Converters.PositiveInt.class, paramLabel = "N",
            description = "Score only the first N validation images (default: as many as the run validated on).")
    Integer valLimit;

    @Option(names = "--all", description = "Score all 10,000 validation images, whatever the run used.")
    boolean all;

    @Option(names = "--batch-size", converter = Converters.BatchSize.class, paramLabel = "N",
            description = "Examples per batch (default: the largest within 512 MiB of activations, at least the run's).")
    Integer batchSize;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Also write confusion.png and misclassified.png (most confident mistakes) into DIR.")
    Path report;

    @Option(names = "--overwrite", description = "With --report: replace the pictures if they exist (default: refuse).")
    boolean overwrite;

    @Mixin
    ComputeOptions compute;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        source.check(spec);
        Device device = compute.apply();
        if (report != null) {
            Outputs.checkFilesIn(report, ValidationReport.FILES, overwrite);
        }
        RunConfig run = source.isRun() ? RunDirectory.readConfig(source.path()) : null;
        ModelConfig modelConfig = run != null ? run.model() : source.weightsConfig();
        if (run == null && !modelConfig.fashionMnist()) {
            throw new CommandLine.ParameterException(spec.commandLine(), source.path() + " was trained on other "
                    + "pictures than Fashion-MNIST (" + String.join(", ", modelConfig.classNames()) + "); evaluate its run "
                    + "directory, which knows its folder");
        }
        DataConfig scored = validationData(run, modelConfig);
        MemoryEstimate.requireFits(MemoryEstimate.inference(modelConfig, scored.batchSize()), "scoring "
                + modelConfig.name() + " in batches of " + scored.batchSize());
        try (DataModule data = DataModule.loadValidation(scored);
                Classifier classifier = source.load(device);
                NDManager manager = classifier.model().getNDManager().newSubManager();
                BatchStream batches = data.validationBatches(manager)) {
            ValidationReport details = new ValidationReport(modelConfig.classNames());
            Evaluation result = classifier.evaluate(batches, details);
            if (report != null) {
                Outputs.createDirectories(report);
                details.writePictures(report, data.validation());
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("examples", result.examples());
                fields.put("loss", result.loss());
                fields.put("accuracy", result.accuracy());
                fields.put("perClass", details.perClassAccuracy());
                out.println(Json.compact().toJson(fields));
            } else {
                out.printf(Locale.ROOT, "%s on %d validation images: loss %.4f  accuracy %.4f%n",
                        modelConfig.name(), result.examples(), result.loss(), result.accuracy());
                details.perClassAccuracy().forEach((name, accuracy) -> out.printf(Locale.ROOT, "  %-12s %s%n", name,
                        accuracy == null ? "no images" : String.format(Locale.ROOT, "%.4f", accuracy)));
                if (report != null) {
                    out.println("wrote " + report.resolve("confusion.png") + " and " + report.resolve("misclassified.png"));
                }
            }
        }
        return 0;
    }

    /** The validation data to score: the run's (or the book's batching for a weights file) with the flags given. */
    private DataConfig validationData(RunConfig run, ModelConfig modelConfig) {
        DataConfig base = run != null ? run.data()
                : RunConfig.book().data().withResize(modelConfig.inputSize()).withValLimit(null);
        Integer examples = all ? null : valLimit != null ? valLimit : base.valLimit();
        if (base.folder() != null) {
            // the channels the network was trained with, whatever the validation pictures alone would suggest
            base = base.withChannels(modelConfig.channels());
        }
        return base.withDataDir(dataDir != null ? dataDir : base.dataDir()).withValLimit(examples)
                .withBatchSize(batchSize != null ? batchSize : EvaluationBatch.size(modelConfig, base.batchSize()));
    }
}
