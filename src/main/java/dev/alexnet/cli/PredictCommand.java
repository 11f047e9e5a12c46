package dev.alexnet.cli;

import dev.alexnet.train.RunConfig;
import dev.alexnet.data.DataConfig;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.data.Split;
import dev.alexnet.predict.ImageInput;
import dev.alexnet.predict.Predictor;
import dev.alexnet.io.Json;
import dev.alexnet.run.RunDirectory;
import dev.alexnet.model.Classifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code alexnet predict}: a trained model's top classes for pictures of clothing, or for a validation image. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify pictures (PNG, JPEG, GIF, BMP; any size and colour) with a trained model.")
final class PredictCommand implements Callable<Integer> {

    @Mixin
    ModelSource source;

    @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "Picture files to classify.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--idx-index", converter = Converters.Count.class, paramLabel = "N", description = "Classify validation image N (0-based) instead.")
    Integer idxIndex;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Fashion-MNIST for --idx-index (default: the run's).")
    Path dataDir;

    @Option(names = "--top", defaultValue = "3", converter = Converters.PositiveInt.class, paramLabel = "K",
            description = "How many classes to show (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--invert", defaultValue = "auto", converter = Converters.InvertChoice.class, paramLabel = "auto|yes|no",
            description = "Turn dark-on-light pictures into Fashion-MNIST's light-on-dark: auto decides by the "
                    + "border's brightness (default: ${DEFAULT-VALUE}).")
    ImageInput.Invert invert;

    @Option(names = "--batch-size", converter = Converters.BatchSize.class, paramLabel = "N",
            description = "Pictures per engine batch (default: the largest within 512 MiB of activations, at most "
                    + "256, where images/s peaked); a picture's probabilities move in the 7th digit with its batch-mates, the same "
                    + "batches give the same bits.")
    Integer batchSize;

    @Option(names = "--repeat", converter = Converters.Steps.class, paramLabel = "N",
            description = "Then classify the pictures N more times and print the median time of one pass on stderr "
                    + "(in-process latency, for comparison with 'alexnet load').")
    Integer repeat;

    @Option(names = "--json", description = "Print [{\"file\":..,\"predictions\":[{\"label\":..,\"probability\":x},..]},..].")
    boolean json;

    @Mixin
    ComputeOptions compute;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (images.isEmpty() == (idxIndex == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give IMAGE files or --idx-index N (one of them)");
        }
        source.check(spec);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Map<String, Object>> results = new ArrayList<>();
        int failures = 0;
        try (Classifier model = source.load(compute.apply())) {
            Predictor predictor = new Predictor(model);
            int batch = batchSize != null ? batchSize : predictor.defaultBatchSize();
            if (idxIndex != null) {
                results.add(predictValidation(predictor, model.config()));
            }
            for (Predictor.FilePrediction picture : predictor.topOfFiles(images, invert, top, batch)) {
                if (picture.error() != null) {
                    failures++;
                    err.println(spec.qualifiedName() + ": " + picture.error());
                } else {
                    results.add(PredictText.result(picture.file().toString(), picture.top(), null));
                }
            }
            if (repeat != null && !images.isEmpty()) {
                List<Double> millis = new ArrayList<>();
                for (int i = 0; i < repeat; i++) {
                    long start = System.nanoTime();
                    predictor.topOfFiles(images, invert, top, batch);
                    millis.add((System.nanoTime() - start) / 1e6);
                }
                java.util.Collections.sort(millis);
                err.printf(Locale.ROOT, "%s: %d picture(s), median of %d passes: %.2f ms (min %.2f, max %.2f)%n",
                        spec.qualifiedName(), images.size(), repeat, millis.get(millis.size() / 2), millis.get(0),
                        millis.get(millis.size() - 1));
            }
            err.flush();
        }
        PredictText.print(results, json, out);
        return failures == 0 ? 0 : AlexNetCommand.FAILURE;
    }

    private Map<String, Object> predictValidation(Predictor predictor, dev.alexnet.model.ModelConfig model) {
        if (!model.fashionMnist()) {
            throw new IllegalArgumentException("--idx-index reads a Fashion-MNIST image; this model was trained on "
                    + "other pictures (" + String.join(", ", model.classNames()) + ")");
        }
        Path dir = dataDir != null ? dataDir : source.isRun() ? RunDirectory.readConfig(source.path()).data().dataDir() : null;
        DataConfig config = RunConfig.book().data().withDataDir(dir).withResize(FashionMnist.SIDE_PIXELS)
                .withValLimit(idxIndex + 1);
        try (FashionMnist data = FashionMnist.loadValidation(config)) {
            Split validation = data.validation();
            if (idxIndex >= validation.size()) {
                throw new IllegalArgumentException("--idx-index " + idxIndex + " is past the last validation image ("
                        + (validation.size() - 1) + ")");
            }
            return PredictText.result("validation:" + idxIndex, predictor.topOfValidation(data, idxIndex, top),
                    FashionMnist.CLASS_NAMES.get(validation.label(idxIndex)));
        }
    }

}
