package dev.alexnet.serve;

import dev.alexnet.predict.ImageInput;
import dev.alexnet.predict.Predictor;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Open Inference Protocol v2 (KServe, Triton): {@code /v2/health/live}, {@code /v2/health/ready},
 * {@code /v2}, {@code /v2/models/NAME[/versions/1]}, its {@code /ready} and {@code POST .../infer} with FP32
 * pixels or BYTES image files and Triton's {@code classification} output parameter, and
 * {@code POST /v2/repository/index}.
 */
final class V2Routes {

    /** The FP32 output: every class's probability. */
    static final String OUTPUT = "probabilities";

    /** The FP32 input's name in the model's metadata (any name is accepted). */
    static final String INPUT = "input";

    /** The BYTES input's name in the model's metadata (any name is accepted). */
    static final String BYTES_INPUT = "image_bytes";

    private final ModelTable models;
    private final Admission admission;
    private final Inference inference;

    V2Routes(ModelTable models, Admission admission, Inference inference) {
        this.models = models;
        this.admission = admission;
        this.inference = inference;
    }

    void register(Javalin javalin, String version) {
        javalin.get("/v2/health/live", ctx -> ctx.json(Map.of("live", true)));
        // not ready while draining, or while the memory budget has no room for another request
        javalin.get("/v2/health/ready", ctx -> {
            boolean ready = admission.ready();
            ctx.status(ready ? 200 : 503).json(Map.of("ready", ready));
        });
        javalin.get("/v2", ctx -> ctx.json(Map.of("name", "alexnet", "version", version,
                "extensions", List.of("classification", "model_repository_index"))));
        javalin.get("/v2/models/{name}", ctx -> ctx.json(metadata(models.get(ctx))));
        javalin.get("/v2/models/{name}/ready", ctx -> ready(ctx, models.get(ctx)));
        javalin.post("/v2/models/{name}/infer", ctx -> infer(ctx, models.get(ctx)));
        // every model has one version, "1"; the versioned paths name it
        javalin.get("/v2/models/{name}/versions/{version}", ctx -> ctx.json(metadata(models.versioned(ctx))));
        javalin.get("/v2/models/{name}/versions/{version}/ready", ctx -> ready(ctx, models.versioned(ctx)));
        javalin.post("/v2/models/{name}/versions/{version}/infer", ctx -> infer(ctx, models.versioned(ctx)));
        javalin.post("/v2/repository/index", ctx -> ctx.json(models.all().stream()
                .map(model -> Map.of("name", model.name(), "version", "1",
                        "state", admission.draining() ? "UNAVAILABLE" : "READY"))
                .toList()));
    }

    private void ready(Context ctx, ServedModel model) {
        ctx.json(Map.of("name", model.name(), "ready", admission.ready()));
    }

    private Map<String, Object> metadata(ServedModel model) {
        int side = model.config().inputSize();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", model.name());
        metadata.put("versions", List.of("1"));
        metadata.put("platform", "djl_pytorch");
        int channels = model.channels();
        metadata.put("inputs", List.of(Map.of("name", INPUT, "datatype", "FP32",
                "shape", List.of(-1, channels, side, side))));
        metadata.put("outputs", List.of(Map.of("name", OUTPUT, "datatype", "FP32",
                "shape", List.of(-1, model.classes().size()))));
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("network", model.config().name());
        parameters.put("input_size", side);
        parameters.put("channels", channels);
        parameters.put("preprocessing", model.config().preprocessing());
        parameters.put("also_accepts", List.of("FP32 [-1, " + channels + ", 28, 28]: 28x28 pixels, resized as in training",
                "BYTES [-1]: base64 image files (PNG, JPEG, GIF, BMP), prepared as 'alexnet predict' prepares them"));
        parameters.put("max_images_per_request", ServeConfig.MAX_IMAGES_PER_REQUEST);
        parameters.put("classes", model.classes());
        parameters.put("source", model.source());
        metadata.put("parameters", parameters);
        return metadata;
    }

    private void infer(Context ctx, ServedModel model) {
        ImageInput.Invert invert = Inference.invert(ctx);
        inference.answer(ctx, model, body -> {
            InferRequest request = InferRequest.read(new InputStreamReader(new ByteArrayInputStream(body.bytes()),
                    StandardCharsets.UTF_8));
            if (request.inputs().size() != 1) {
                throw HttpError.badRequest("this model takes one input (FP32 pixels or BYTES image files), not "
                        + request.inputs().size());
            }
            Batcher.Images images = images(model, request.inputs().get(0), invert);
            return inference.then(inference.predict(model, images), answers -> {
                Map<String, Object> response = new LinkedHashMap<>();
                response.put("model_name", model.name());
                response.put("model_version", "1");
                if (request.id() != null) {
                    response.put("id", request.id());
                }
                response.put("outputs", outputs(model, request.outputs(), answers));
                ctx.json(response);
            });
        });
    }

    private Batcher.Images images(ServedModel model, InferRequest.Input input, ImageInput.Invert invert) {
        long[] shape = input.shape();
        if (shape.length > 0 && shape[0] > ServeConfig.MAX_IMAGES_PER_REQUEST) {
            throw new HttpError(413, "input '" + input.name() + "' holds " + shape[0] + " images; a request may carry at most "
                    + ServeConfig.MAX_IMAGES_PER_REQUEST);
        }
        if (input.datatype().equals("FP32")) {
            int c = model.channels();
            if (shape.length != 4 || shape[1] != c || shape[2] != shape[3] || !model.acceptsSide(shape[2])) {
                throw HttpError.badRequest("input '" + input.name() + "' has shape " + Arrays.toString(shape)
                        + "; this model takes [N, " + c + ", 28, 28] or [N, " + c + ", " + model.config().inputSize()
                        + ", " + model.config().inputSize() + "]");
            }
            for (float value : input.numbers()) {
                if (!(value >= 0f && value <= 1f)) {
                    throw HttpError.badRequest("input '" + input.name() + "' holds " + value
                            + "; pixels lie in [0, 1] (0 black, 1 white), as in Fashion-MNIST");
                }
            }
            return new Batcher.Images(input.numbers(), (int) shape[0], c, (int) shape[2]);
        }
        if (shape.length > 2 || (shape.length == 2 && shape[1] != 1)) {
            throw HttpError.badRequest("input '" + input.name() + "' has shape " + Arrays.toString(shape)
                    + "; BYTES image files take [N] or [N, 1]");
        }
        int count = input.strings().size();
        List<byte[]> encoded = new ArrayList<>(count);
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            try {
                encoded.add(Base64.getDecoder().decode(input.strings().get(i)));
            } catch (IllegalArgumentException e) {
                throw HttpError.badRequest("image " + i + " of input '" + input.name() + "' is not base64 ("
                        + e.getMessage() + ")");
            }
            names.add("image " + i);
        }
        return inference.decode(model, encoded, names, invert);
    }

    private static List<Map<String, Object>> outputs(ServedModel model, List<InferRequest.Output> asked,
            List<List<Predictor.Prediction>> answers) {
        List<InferRequest.Output> wanted = asked.isEmpty() ? List.of(new InferRequest.Output(OUTPUT, 0)) : asked;
        List<Map<String, Object>> outputs = new ArrayList<>();
        int classes = model.classes().size();
        if (wanted.size() > 1) {
            throw HttpError.badRequest("this model has one output ('" + OUTPUT + "'); " + wanted.size() + " were asked for");
        }
        for (InferRequest.Output output : wanted) {
            if (!output.name().equals(OUTPUT)) {
                throw HttpError.badRequest("no output '" + output.name() + "' (this model has '" + OUTPUT + "')");
            }
            Map<String, Object> tensor = new LinkedHashMap<>();
            tensor.put("name", OUTPUT);
            if (output.classification() > 0) {
                int k = Math.min(output.classification(), classes);
                List<String> data = new ArrayList<>();
                for (List<Predictor.Prediction> answer : answers) {
                    for (Predictor.Prediction prediction : answer.subList(0, k)) {
                        data.add(String.format(java.util.Locale.ROOT, "%f:%d:%s", prediction.probability(),
                                model.classes().indexOf(prediction.label()), prediction.label()));
                    }
                }
                tensor.put("datatype", "BYTES");
                tensor.put("shape", List.of(answers.size(), k));
                tensor.put("data", data);
            } else {
                float[] data = new float[answers.size() * classes];
                for (int i = 0; i < answers.size(); i++) {
                    for (Predictor.Prediction prediction : answers.get(i)) {
                        data[i * classes + model.classes().indexOf(prediction.label())] = (float) prediction.probability();
                    }
                }
                tensor.put("datatype", "FP32");
                tensor.put("shape", List.of(answers.size(), classes));
                tensor.put("data", data);
            }
            outputs.add(tensor);
        }
        return outputs;
    }
}
