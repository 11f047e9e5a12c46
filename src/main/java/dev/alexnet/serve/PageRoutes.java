package dev.alexnet.serve;

import dev.alexnet.data.DataConfig;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.data.Split;
import dev.alexnet.io.Messages;
import dev.alexnet.predict.ImageInput;
import dev.alexnet.train.RunConfig;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The pages: {@code /} to try a model (with a picture, or a random Fashion-MNIST validation image), and with
 * a runs folder the board at {@code /runs}, each run's page, its metrics and its files.
 */
final class PageRoutes {

    private final ServeConfig config;
    private final ModelTable models;
    private final Admission admission;
    private final Inference inference;
    private final RunBoard board;
    // where the server tells its operator what clients are not told
    private final Consumer<String> announceError;
    private final Object validationLock = new Object();
    private Split validation;
    private String validationError;

    PageRoutes(ServeConfig config, ModelTable models, Admission admission, Inference inference,
            Consumer<String> announceError) {
        this.config = config;
        this.models = models;
        this.admission = admission;
        this.inference = inference;
        this.board = config.runs() != null ? new RunBoard(config.runs()) : null;
        this.announceError = announceError;
    }

    void register(Javalin javalin) {
        javalin.get("/", ctx -> page(ctx, "index.html"));
        javalin.post("/api/try/{name}", this::tryPicture);
        javalin.get("/api/random/{name}", this::tryValidation);

        javalin.get("/runs", ctx -> {
            if (Admission.prefersJson(ctx)) {
                ctx.json(requireBoard().list());
            } else {
                page(ctx, "runs.html");
            }
        });
        javalin.get("/api/runs", ctx -> ctx.json(requireBoard().list()));
        javalin.get("/runs/{run}", ctx -> {
            // a guest of a guarded server gets the page (no data) either way: whether a run exists is data
            if (admission.authorized(ctx)) {
                requireBoard().run(ctx.pathParam("run"));
            } else {
                requireBoard();
            }
            page(ctx, "board.html");
        });
        javalin.get("/api/runs/{run}", ctx -> ctx.json(requireBoard().details(ctx.pathParam("run"))));
        javalin.get("/api/runs/{run}/metrics", ctx -> ctx.json(requireBoard().metrics(ctx.pathParam("run"))));
        javalin.get("/runs/{run}/files/<file>", this::runFile);
    }

    private void tryPicture(Context ctx) {
        ServedModel model = models.get(ctx);
        inference.classifyPicture(ctx, model, (input, answer) -> ctx.json(Map.of("model", model.name(), "input", input,
                "channels", model.channels(), "side", model.pictureSide(),
                "predictions", Inference.classifications(answer))));
    }

    private void tryValidation(Context ctx) {
        ServedModel model = models.get(ctx);
        if (!model.config().fashionMnist()) {
            throw HttpError.badRequest("model " + model.name() + " was not trained on Fashion-MNIST; try a picture of "
                    + "its own classes instead");
        }
        Split split = validation();
        int index = ThreadLocalRandom.current().nextInt(split.size());
        int pixelsPer = split.images().imageBytes();
        float[] pixels = new float[pixelsPer];
        for (int i = 0; i < pixelsPer; i++) {
            pixels[i] = (split.images().pixels()[index * pixelsPer + i] & 0xff) / 255f;
        }
        ctx.future(() -> inference.then(inference.predict(model, new Batcher.Images(pixels, 1, ImageInput.SIDE)),
                answers -> {
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("model", model.name());
                    result.put("index", index);
                    result.put("label", model.classes().get(split.label(index)));
                    result.put("input", pixels);
                    result.put("predictions", Inference.classifications(answers.get(0)));
                    ctx.json(result);
                }));
    }

    private Split validation() {
        synchronized (validationLock) {
            if (validation == null && validationError == null) {
                try {
                    DataConfig data = RunConfig.book().data().withDataDir(config.dataDir())
                            .withResize(FashionMnist.SIDE_PIXELS);
                    try (FashionMnist loaded = FashionMnist.loadValidation(data)) {
                        validation = loaded.validation();
                    }
                } catch (RuntimeException e) {
                    // the reason names the server's directories: it goes to the server's console, not to clients
                    announceError.accept("no validation images for the page: " + Messages.firstLine(e.getMessage()));
                    validationError = "this server has no Fashion-MNIST validation images (see its console)";
                }
            }
            if (validation == null) {
                throw new HttpError(404, validationError);
            }
            return validation;
        }
    }

    private static void page(Context ctx, String name) {
        try (InputStream in = PageRoutes.class.getResourceAsStream("/serve/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the page " + name + " is missing from the program");
            }
            // the pages load only their own scripts and may not be framed by another site
            ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' "
                    + "'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                    + "frame-ancestors 'none'");
            ctx.header("X-Frame-Options", "DENY");
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Referrer-Policy", "no-referrer");
            ctx.html(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RunBoard requireBoard() {
        if (board == null) {
            throw HttpError.notFound("no board: start the server with --runs DIR");
        }
        return board;
    }

    private void runFile(Context ctx) throws IOException {
        Path file = requireBoard().file(ctx.pathParam("run"), ctx.pathParam("file"));
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        // pictures as pictures, JSON as JSON, anything else as plain text: never a page that runs scripts here
        String type = name.endsWith(".png") ? "image/png" : name.endsWith(".svg") ? "image/svg+xml"
                : name.endsWith(".json") ? "application/json" : "text/plain; charset=utf-8";
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'");
        ctx.contentType(type).result(Files.newInputStream(file));
    }
}
