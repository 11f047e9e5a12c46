package dev.alexnet.cli;

import dev.alexnet.io.Json;
import dev.alexnet.predict.Predictor;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** What {@code alexnet predict} prints: one line per picture, or one JSON array. */
final class PredictText {

    private PredictText() {}

    /** Returns one picture's result; {@code trueLabel} only for a validation image (else null, and left out). */
    static Map<String, Object> result(String file, List<Predictor.Prediction> predictions, String trueLabel) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("file", file);
        if (trueLabel != null) {
            result.put("trueLabel", trueLabel);
        }
        result.put("predictions", predictions);
        return result;
    }

    @SuppressWarnings("unchecked")
    static void print(List<Map<String, Object>> results, boolean json, PrintWriter out) {
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
}
