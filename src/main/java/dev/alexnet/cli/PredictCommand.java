package dev.alexnet.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.alexnet.data.DataConfig;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.data.Split;
import dev.alexnet.predict.ImageInput;
import dev.alexnet.predict.Predictor;
import dev.alexnet.run.Json;
import dev.alexnet.run.RunDirectory;
import dev.alexnet.train.Classifier;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
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

    @Option(names = "--idx-index", paramLabel = "N", description = "Classify validation image N (0-based) instead.")
    Integer idxIndex;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Fashion-MNIST for --idx-index (default: the run's).")
    Path dataDir;

    @Option(names = "--top", defaultValue = "3", converter = Converters.PositiveInt.class, paramLabel = "K",
            description = "How many classes to show (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--invert", defaultValue = "auto", paramLabel = "auto|yes|no",
            description = "Turn dark-on-light pictures into Fashion-MNIST's light-on-dark: auto decides by the "
                    + "border's brightness (default: ${DEFAULT-VALUE}).")
    String invert;

    @Option(names = "--json", description = "Print [{\"file\":..,\"predictions\":[{\"label\":..,\"probability\":x},..]},..].")
    boolean json;

    @Mixin
    ComputeOptions compute;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ImageInput.Invert inversion = parseInvert();
        if (images.isEmpty() == (idxIndex == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give IMAGE files or --idx-index N (one of them)");
        }
        source.check(spec);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Map<String, Object>> results = new ArrayList<>();
        int failures = 0;
        try (Classifier model = source.load(compute.apply())) {
            Predictor predictor = new Predictor(model, FashionMnist.CLASS_NAMES);
            if (idxIndex != null) {
                results.add(predictValidation(model, predictor));
            }
            for (Path image : images) {
                try (NDManager manager = model.model().getNDManager().newSubManager()) {
                    NDArray picture = ImageInput.load(image, manager, inversion).expandDims(0);
                    results.add(result(image.toString(), predictor.top(picture, top).get(0), null));
                } catch (IllegalArgumentException e) {
                    failures++;
                    err.println(spec.qualifiedName() + ": " + e.getMessage());
                    err.flush();
                }
            }
        }
        print(results, out);
        return failures == 0 ? 0 : AlexNetCommand.FAILURE;
    }

    private Map<String, Object> predictValidation(Classifier model, Predictor predictor) {
        if (idxIndex < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--idx-index must be 0 or more");
        }
        DataConfig config = new DataConfig(dataDir != null ? dataDir : (source.isRun() ? RunDirectory.readConfig(source.modelDir).data().dataDir() : null), 1, FashionMnist.SIDE_PIXELS,
                1, idxIndex + 1, 0);
        try (FashionMnist data = FashionMnist.load(config);
                NDManager manager = model.model().getNDManager().newSubManager()) {
            Split validation = data.validation();
            if (idxIndex >= validation.size()) {
                throw new IllegalArgumentException("--idx-index " + idxIndex + " is past the last validation image ("
                        + (validation.size() - 1) + ")");
            }
            ByteBuffer pixels = ByteBuffer.allocateDirect(784);
            pixels.put(validation.images().pixels(), idxIndex * 784, 784).flip();
            NDArray image = manager.create(pixels, new Shape(1, 1, 28, 28), DataType.UINT8)
                    .toType(DataType.FLOAT32, false).div(255f);
            return result("validation:" + idxIndex, predictor.top(image, top).get(0),
                    FashionMnist.CLASS_NAMES.get(validation.label(idxIndex)));
        }
    }

    private static Map<String, Object> result(String file, List<Predictor.Prediction> predictions, String trueLabel) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("file", file);
        if (trueLabel != null) {
            result.put("trueLabel", trueLabel);
        }
        result.put("predictions", predictions);
        return result;
    }

    @SuppressWarnings("unchecked")
    private void print(List<Map<String, Object>> results, PrintWriter out) {
        if (json) {
            out.println(Json.compact().toJson(results));
            return;
        }
        for (Map<String, Object> result : results) {
            String predictions = ((List<Predictor.Prediction>) result.get("predictions")).stream()
                    .map(p -> String.format(Locale.ROOT, "%s %.3f", p.label(), p.probability()))
                    .collect(Collectors.joining(", "));
            String truth = result.containsKey("trueLabel") ? " (true: " + result.get("trueLabel") + ")" : "";
            out.println(result.get("file") + truth + ": " + predictions);
        }
    }

    private ImageInput.Invert parseInvert() {
        try {
            return ImageInput.Invert.valueOf(invert.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '--invert': '" + invert + "' (use auto, yes or no)");
        }
    }
}
