package dev.alexnet.serve;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** TorchServe's and DJL Serving's inference API: {@code /ping}, {@code POST /predictions/NAME}, {@code /models}. */
final class TorchServeRoutes {

    private final ModelTable models;
    private final Admission admission;
    private final Inference inference;

    TorchServeRoutes(ModelTable models, Admission admission, Inference inference) {
        this.models = models;
        this.admission = admission;
        this.inference = inference;
    }

    void register(Javalin javalin) {
        javalin.get("/ping", ctx -> ctx.json(Map.of("status", admission.draining() ? "Unhealthy" : "Healthy")));
        javalin.get("/models", ctx -> ctx.json(Map.of("models", models.all().stream().map(this::listing).toList())));
        javalin.get("/models/{name}", ctx -> ctx.json(List.of(listing(models.get(ctx)))));
        javalin.post("/predictions/{name}", this::predictions);
    }

    private Map<String, Object> listing(ServedModel model) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("modelName", model.name());
        entry.put("modelUrl", model.source());
        entry.put("network", model.config().name());
        entry.put("inputSize", model.config().inputSize());
        return entry;
    }

    private void predictions(Context ctx) {
        ServedModel model = models.get(ctx);
        int k = topK(ctx, 5, model.classes().size());
        inference.classifyPicture(ctx, model, (input, answer) ->
                ctx.json(Inference.classifications(answer.subList(0, k))));
    }

    private static int topK(Context ctx, int fallback, int classes) {
        String text = ctx.queryParam("topk") != null ? ctx.queryParam("topk") : ctx.queryParam("topK");
        if (text == null) {
            return Math.min(fallback, classes);
        }
        try {
            int k = Integer.parseInt(text.trim());
            if (k < 1 || k > classes) {
                throw HttpError.badRequest("topk " + k + " is out of range (1 to " + classes + ")");
            }
            return k;
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("topk '" + text + "' is not a whole number");
        }
    }
}
