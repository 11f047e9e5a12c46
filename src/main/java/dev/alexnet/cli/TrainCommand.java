package dev.alexnet.cli;

import ai.djl.Device;
import dev.alexnet.data.DataConfig;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.train.Classifier;
import dev.alexnet.train.ConsoleListener;
import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.Json;
import dev.alexnet.train.RunConfig;
import dev.alexnet.train.RunDirectory;
import dev.alexnet.train.SaveModelListener;
import dev.alexnet.train.Trainer;
import dev.alexnet.train.TrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code alexnet train}: the book's training run, with its defaults. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train on Fashion-MNIST; each epoch prints train loss, validation loss and accuracy, images/s.")
final class TrainCommand implements Callable<Integer> {

    @Mixin
    ModelOptions network;

    @Option(names = "--epochs", defaultValue = "10", converter = Converters.PositiveInt.class, paramLabel = "N",
            description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", converter = Converters.PositiveInt.class,
            paramLabel = "N", description = "Examples per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.01", converter = Converters.PositiveFloat.class, paramLabel = "RATE",
            description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seed for initialization, dropout and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run directory for the model and its configuration (default: a new one under runs/).")
    Path out;

    @Option(names = "--json", description = "Print one JSON object on stdout; progress goes to stderr.")
    boolean json;

    @Mixin
    DataOptions data;

    @Mixin
    ComputeOptions compute;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Device device = compute.apply();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter progress = json ? spec.commandLine().getErr() : stdout;
        ModelConfig modelConfig = new ModelConfig(network.model, 10, network.resize);
        DataConfig dataConfig = new DataConfig(data.dataDir, batchSize, network.resize, data.limit, data.valLimit, seed);
        TrainingConfig trainingConfig = new TrainingConfig(epochs, seed);
        try (FashionMnist fashionMnist = FashionMnist.load(dataConfig);
                Classifier classifier = new Classifier(modelConfig, learningRate, device)) {
            RunConfig runConfig = new RunConfig(modelConfig, learningRate, fashionMnist.config(), trainingConfig);
            Path runDir = RunDirectory.create(out);
            progress.println("run directory: " + runDir + "  device: " + device);
            Trainer trainer = new Trainer(trainingConfig,
                    List.of(new ConsoleListener(progress), new SaveModelListener(runDir, runConfig)));
            List<EpochMetrics> history = trainer.fit(classifier, fashionMnist);
            if (json) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("runDir", runDir.toString());
                result.put("epochs", history);
                stdout.println(Json.compact().toJson(result));
            } else {
                stdout.println("model saved in " + runDir);
            }
        }
        return 0;
    }
}
