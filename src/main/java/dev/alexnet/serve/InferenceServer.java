package dev.alexnet.serve;

import ai.djl.Device;
import com.google.gson.Gson;
import dev.alexnet.data.DataConfig;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.data.Split;
import dev.alexnet.io.Json;
import dev.alexnet.io.Messages;
import dev.alexnet.model.Classifier;
import dev.alexnet.predict.ImageInput;
import dev.alexnet.predict.Predictor;
import dev.alexnet.train.RunConfig;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@code alexnet serve}: trained models over HTTP, in this JVM, on Javalin (Jetty underneath).
 *
 * <ul>
 *   <li>Open Inference Protocol v2 (KServe, Triton): {@code /v2/health/live}, {@code /v2/health/ready},
 *       {@code /v2}, {@code /v2/models/NAME}, {@code /v2/models/NAME/ready}, {@code POST /v2/models/NAME/infer}
 *       with FP32 pixels or BYTES image files, and Triton's {@code classification} output parameter.</li>
 *   <li>TorchServe / DJL Serving: {@code /ping}, {@code POST /predictions/NAME} (raw image or multipart
 *       field {@code data}), {@code /models}.</li>
 *   <li>{@code /metrics} in Prometheus's text format.</li>
 *   <li>A page at {@code /} to try a model, and with a runs folder the board at {@code /runs}.</li>
 * </ul>
 * Requests for one model share engine batches ({@link Batcher}). Every refusal is a status with
 * {@code {"error": "one line"}}.
 */
public final class InferenceServer implements AutoCloseable {

    /** The FP32 output: every class's probability. */
    static final String OUTPUT = "probabilities";

    /** The FP32 input's name in the model's metadata (any name is accepted). */
    static final String INPUT = "input";

    /** The BYTES input's name in the model's metadata (any name is accepted). */
    static final String BYTES_INPUT = "image_bytes";

    private static final long ANSWER_TIMEOUT_SECONDS = 120;
    /** The project's Gson, writing a number that is not finite (an old run's missing train accuracy) as null. */
    private static final Gson GSON = Json.compact().newBuilder()
            .registerTypeAdapter(Double.class, new FiniteOrNull())
            .registerTypeAdapter(double.class, new FiniteOrNull())
            .create();

    private final ServeConfig config;
    private final Map<String, ServedModel> models = new LinkedHashMap<>();
    private final ServerMetrics metrics = new ServerMetrics();
    private final RunBoard board;
    private static final int BUDGET_KIB = (int) (ServeConfig.MEMORY_BUDGET_BYTES / 1024);
    private final java.util.concurrent.Semaphore budget = new java.util.concurrent.Semaphore(BUDGET_KIB, true);
    private final Object inFlightLock = new Object();
    private int inFlight;
    private volatile boolean draining;
    private boolean closed;
    private final Object validationLock = new Object();
    private Split validation;
    // where the server tells its operator what clients are not told (set by start)
    private Consumer<String> announceError = line -> { };
    private String validationError;
    private Javalin app;

    private InferenceServer(ServeConfig config) {
        this.config = config;
        this.board = config.runs() != null ? new RunBoard(config.runs()) : null;
    }

    /**
     * Loads {@code specs} on {@code device} and starts answering on the configured address.
     *
     * @param announce told each model as it is loaded, and what goes wrong that clients are told only in brief
     * @throws IllegalArgumentException if a model cannot be loaded, two share a name, or the address is taken
     */
    public static InferenceServer start(ServeConfig config, List<ModelSpec> specs, Device device,
            Consumer<String> announce) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("no model to serve");
        }
        InferenceServer server = new InferenceServer(config);
        server.announceError = announce;
        try {
            for (ModelSpec spec : specs) {
                if (server.models.containsKey(spec.name())) {
                    throw new IllegalArgumentException("two models are called '" + spec.name()
                            + "'; name them with NAME=PATH");
                }
                Classifier classifier = spec.load(device);
                // clients are told the file's name, never where it lies on the server
                server.models.put(spec.name(), new ServedModel(spec.name(), spec.publicSource(), classifier,
                        classifier.config().classNames(), config.maxBatch(), config.maxDelayMillis(), server.metrics::batch));
                announce.accept(String.format(Locale.ROOT, "model %s: %s %dx%d, from %s", spec.name(),
                        classifier.config().name(), classifier.config().inputSize(), classifier.config().inputSize(),
                        spec.source()));
            }
            server.app = server.routes().start(config.host(), config.port());
            return server;
        } catch (RuntimeException e) {
            server.close();
            if (e.getClass().getSimpleName().equals("JavalinBindException")) {
                throw new IllegalArgumentException("cannot listen on " + config.host() + ":" + config.port() + " ("
                        + Messages.firstLine(e.getMessage()) + ")", e);
            }
            throw e;
        }
    }

    /** Returns the port it listens on (the one chosen when the configuration said 0). */
    public int port() {
        return app.port();
    }

    /** Returns the names of the models it serves, in order. */
    public List<String> modelNames() {
        return List.copyOf(models.keySet());
    }

    private Javalin routes() {
        Javalin javalin = Javalin.create(web -> {
            web.showJavalinBanner = false;
            web.startupWatcherEnabled = false;
            web.jsonMapper(new GsonMapper());
            web.http.maxRequestSize = config.maxBodyBytes();
            web.jetty.multipartConfig.maxTotalRequestSize(config.maxBodyBytes(), SizeUnit.BYTES);
            web.jetty.multipartConfig.maxFileSize(config.maxBodyBytes(), SizeUnit.BYTES);
            web.jetty.multipartConfig.maxInMemoryFileSize((int) Math.min(Integer.MAX_VALUE, config.maxBodyBytes()),
                    SizeUnit.BYTES);
            web.staticFiles.add(files -> {
                files.hostedPath = "/static";
                files.directory = "/serve";
                files.location = Location.CLASSPATH;
            });
            web.staticFiles.enableWebjars();
            web.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            // counted as answered once the response is written, so a drain waits for the last byte
            web.requestLogger.http((ctx, millis) -> account(ctx));
        });
        javalin.before(this::admit);
        javalin.exception(HttpError.class, (e, ctx) -> refuse(ctx, e.status(), e.getMessage()));
        javalin.exception(IllegalArgumentException.class, (e, ctx) -> refuse(ctx, 400, e.getMessage()));
        javalin.exception(Exception.class, (e, ctx) -> refuse(ctx, 500, "internal error: "
                + e.getClass().getSimpleName() + ": " + e.getMessage()));
        javalin.error(500, ctx -> {
            if (ctx.attribute("refused") == null) {
                refuse(ctx, 500, "internal error");
            }
        });
        javalin.error(404, ctx -> {
            if (ctx.attribute("refused") == null) {
                refuse(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
        javalin.error(405, ctx -> {
            if (ctx.attribute("refused") == null) {
                refuse(ctx, 405, "method " + ctx.method() + " not allowed on " + ctx.path());
            }
        });

        // Open Inference Protocol v2
        javalin.get("/v2/health/live", ctx -> ctx.json(Map.of("live", true)));
        javalin.get("/v2/health/ready", ctx -> ctx.status(draining ? 503 : 200).json(Map.of("ready", !draining)));
        javalin.get("/v2", ctx -> ctx.json(Map.of("name", "alexnet", "version", version(),
                "extensions", List.of("classification", "model_repository_index"))));
        javalin.get("/v2/models/{name}", ctx -> ctx.json(v2Metadata(model(ctx))));
        javalin.get("/v2/models/{name}/ready", ctx -> ctx.json(Map.of("name", model(ctx).name(), "ready", !draining)));
        javalin.post("/v2/models/{name}/infer", this::infer);
        // every model has one version, "1"; the versioned paths name it
        javalin.get("/v2/models/{name}/versions/{version}", ctx -> ctx.json(v2Metadata(versioned(ctx))));
        javalin.get("/v2/models/{name}/versions/{version}/ready",
                ctx -> ctx.json(Map.of("name", versioned(ctx).name(), "ready", !draining)));
        javalin.post("/v2/models/{name}/versions/{version}/infer", ctx -> {
            versioned(ctx);
            infer(ctx);
        });
        javalin.post("/v2/repository/index", ctx -> ctx.json(models.values().stream()
                .map(model -> Map.of("name", model.name(), "version", "1", "state", draining ? "UNAVAILABLE" : "READY"))
                .toList()));

        // TorchServe / DJL Serving
        javalin.get("/ping", ctx -> ctx.json(Map.of("status", draining ? "Unhealthy" : "Healthy")));
        javalin.get("/models", ctx -> ctx.json(Map.of("models", models.values().stream().map(this::listing).toList())));
        javalin.get("/models/{name}", ctx -> ctx.json(List.of(listing(model(ctx)))));
        javalin.post("/predictions/{name}", this::predictions);

        javalin.get("/metrics", ctx -> ctx.contentType(metrics.contentType()).result(metrics.text()));

        // the page
        javalin.get("/", ctx -> page(ctx, "index.html"));
        javalin.post("/api/try/{name}", this::tryPicture);
        javalin.get("/api/random/{name}", this::tryValidation);

        // the board
        javalin.get("/runs", ctx -> {
            if (prefersJson(ctx)) {
                ctx.json(requireBoard().list());
            } else {
                page(ctx, "runs.html");
            }
        });
        javalin.get("/api/runs", ctx -> ctx.json(requireBoard().list()));
        javalin.get("/runs/{run}", ctx -> {
            // a guest of a guarded server gets the page (no data) either way: whether a run exists is data
            if (config.token() == null || authorized(ctx)) {
                requireBoard().run(ctx.pathParam("run"));
            } else {
                requireBoard();
            }
            page(ctx, "board.html");
        });
        javalin.get("/api/runs/{run}", ctx -> ctx.json(requireBoard().details(ctx.pathParam("run"))));
        javalin.get("/api/runs/{run}/metrics", ctx -> ctx.json(requireBoard().metrics(ctx.pathParam("run"))));
        javalin.get("/runs/{run}/files/<file>", this::runFile);
        return javalin;
    }

    // ---- admission, accounting, refusals

    private void admit(Context ctx) {
        ctx.attribute("started", metrics.started());
        synchronized (inFlightLock) {
            inFlight++;
        }
        ctx.attribute("counted", true);
        String path = ctx.path();
        // a request without Host (HTTP/1.0) cannot come from a browser tricked by DNS rebinding
        if (ctx.header("Host") != null && !hostAllowed(ctx.host())) {
            throw new HttpError(403, "this server answers to 127.0.0.1 and localhost only (Host: " + ctx.host() + ")");
        }
        if (draining && !isHealthCheck(path)) {
            throw new HttpError(503, "the server is shutting down");
        }
        // health checks answer without the token whatever the client accepts (a probe may ask for JSON); pages
        // are public only as pages
        if (config.token() != null && !isHealthCheck(path) && !(isPublic(path) && !prefersJson(ctx))
                && !authorized(ctx)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new HttpError(401, "this server needs 'Authorization: Bearer TOKEN' (or ?token=TOKEN)");
        }
    }

    private void account(Context ctx) {
        if (ctx.attribute("counted") == null) {
            return;
        }
        Long started = ctx.attribute("started");
        metrics.answered(api(ctx.path()), ctx.statusCode(), started != null ? started : System.nanoTime());
        synchronized (inFlightLock) {
            inFlight--;
            inFlightLock.notifyAll();
        }
    }

    /**
     * Returns whether a request's Host header names this server: bound to the loopback address, it
     * answers only to 127.0.0.1, localhost and [::1], so that a web page cannot reach it through a
     * DNS name that points at this machine (DNS rebinding).
     */
    private boolean hostAllowed(String host) {
        if (!isLoopback(config.host())) {
            return true;
        }
        if (host == null) {
            return false;
        }
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
                : host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        return name.equals("127.0.0.1") || name.equalsIgnoreCase("localhost") || name.equals("[::1]");
    }

    /** Returns whether {@code address} is this machine only: a server bound elsewhere is reachable by others. */
    public static boolean isLoopback(String address) {
        return address.equals("127.0.0.1") || address.equalsIgnoreCase("localhost") || address.equals("::1")
                || address.equals("[::1]");
    }

    /** Pages, their scripts and the health checks need no token: they hold no model output. */
    private static boolean isHealthCheck(String path) {
        return path.startsWith("/v2/health/") || path.equals("/ping");
    }

    private static boolean isPublic(String path) {
        return path.equals("/") || path.startsWith("/static/") || path.startsWith("/webjars/")
                || isHealthCheck(path) || path.equals("/favicon.ico")
                || (path.startsWith("/runs") && !path.contains("/files/"));
    }

    private boolean authorized(Context ctx) {
        String header = ctx.header("Authorization");
        // the scheme's name is case-insensitive (RFC 9110, 11.1)
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring("Bearer ".length()).trim() : ctx.queryParam("token");
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                config.token().getBytes(StandardCharsets.UTF_8));
    }

    private static String api(String path) {
        if (path.startsWith("/v2")) {
            return "v2";
        }
        if (path.startsWith("/predictions") || path.startsWith("/models") || path.equals("/ping")) {
            return "torchserve";
        }
        if (path.equals("/metrics")) {
            return "metrics";
        }
        if (path.startsWith("/api/try") || path.startsWith("/api/random")) {
            return "page";
        }
        if (path.startsWith("/runs") || path.startsWith("/api/runs")) {
            return "board";
        }
        return "static";
    }

    private static void refuse(Context ctx, int status, String reason) {
        ctx.attribute("refused", true);
        ctx.status(status).json(Map.of("error", Messages.firstLine(reason == null ? "error" : reason)));
    }

    private static boolean prefersJson(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("application/json") && !accept.contains("text/html");
    }

    // ---- models

    /** Returns the model a versioned path names; its one version is "1". */
    private ServedModel versioned(Context ctx) {
        ServedModel model = model(ctx);
        if (!ctx.pathParam("version").equals("1")) {
            throw new HttpError(404, "model " + model.name() + " has no version " + ctx.pathParam("version")
                    + " (its one version is 1)");
        }
        return model;
    }

    private ServedModel model(Context ctx) {
        String name = ctx.pathParam("name");
        ServedModel model = models.get(name);
        if (model == null) {
            throw HttpError.notFound("no model '" + name + "' (this server has: " + String.join(", ", models.keySet()) + ")");
        }
        return model;
    }

    private Map<String, Object> v2Metadata(ServedModel model) {
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

    private Map<String, Object> listing(ServedModel model) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("modelName", model.name());
        entry.put("modelUrl", model.source());
        entry.put("network", model.config().name());
        entry.put("inputSize", model.config().inputSize());
        return entry;
    }

    // ---- inference

    private void infer(Context ctx) {
        ServedModel model = model(ctx);
        try (Ticket budget = reserve(ctx)) {
            byte[] body = body(ctx);
            try (Ticket ticket = model.open()) {
                InferRequest request = InferRequest.read(new InputStreamReader(new ByteArrayInputStream(body),
                        StandardCharsets.UTF_8));
                if (request.inputs().size() != 1) {
                    throw HttpError.badRequest("this model takes one input (FP32 pixels or BYTES image files), not "
                            + request.inputs().size());
                }
                Batcher.Images images = images(model, request.inputs().get(0), ctx);
                List<List<Predictor.Prediction>> answers = await(model.predict(images));
                Map<String, Object> response = new LinkedHashMap<>();
                response.put("model_name", model.name());
                response.put("model_version", "1");
                if (request.id() != null) {
                    response.put("id", request.id());
                }
                response.put("outputs", outputs(model, request.outputs(), answers));
                ctx.json(response);
            }
        }
    }

    private Batcher.Images images(ServedModel model, InferRequest.Input input, Context ctx) {
        long[] shape = input.shape();
        if (shape.length > 0 && shape[0] > ServeConfig.MAX_IMAGES_PER_REQUEST) {
            throw new HttpError(413, "input '" + input.name() + "' holds " + shape[0] + " images; a request may carry at most "
                    + ServeConfig.MAX_IMAGES_PER_REQUEST);
        }
        if (input.datatype().equals("FP32")) {
            int c = model.channels();
            if (shape.length != 4 || shape[1] != c || shape[2] != shape[3] || !model.acceptsSide(shape[2])) {
                throw HttpError.badRequest("input '" + input.name() + "' has shape " + java.util.Arrays.toString(shape)
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
            throw HttpError.badRequest("input '" + input.name() + "' has shape " + java.util.Arrays.toString(shape)
                    + "; BYTES image files take [N] or [N, 1]");
        }
        ImageInput.Invert invert = invert(ctx);
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
        long values = (long) count * model.channels() * model.pictureSide() * model.pictureSide();
        if (values * Float.BYTES > ServeConfig.MEMORY_BUDGET_BYTES / 2) {
            throw new HttpError(413, String.format(Locale.ROOT, "%d pictures at %dx%dx%d need %d MB as the network's "
                    + "input, more than a request may take of the server's %d MB", count, model.channels(),
                    model.pictureSide(), model.pictureSide(), values * Float.BYTES >> 20,
                    ServeConfig.MEMORY_BUDGET_BYTES / 2 >> 20));
        }
        float[] pixels = new float[(int) values];
        try (Ticket decoding = reserveDecoding(encoded, names, model)) {
            for (int i = 0; i < count; i++) {
                float[] one = model.prepare(encoded.get(i), names.get(i), invert);
                System.arraycopy(one, 0, pixels, i * one.length, one.length);
            }
        }
        return model.pictures(pixels, count);
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
                        data.add(String.format(Locale.ROOT, "%f:%d:%s", prediction.probability(),
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

    private void predictions(Context ctx) {
        ServedModel model = model(ctx);
        int k = topK(ctx, 5, model.classes().size());
        ctx.json(classifications(classifyPicture(ctx, model).subList(0, k)));
    }

    private void tryPicture(Context ctx) {
        ServedModel model = model(ctx);
        float[][] input = new float[1][];
        List<Predictor.Prediction> answer = classifyPicture(ctx, model, input);
        ctx.json(Map.of("model", model.name(), "input", input[0], "channels", model.channels(), "side",
                model.pictureSide(), "predictions", classifications(answer)));
    }

    private List<Predictor.Prediction> classifyPicture(Context ctx, ServedModel model) {
        return classifyPicture(ctx, model, new float[1][]);
    }

    /** Reads, prepares and classifies the picture of a request; {@code input[0]} gets the 28x28 pixels. */
    private List<Predictor.Prediction> classifyPicture(Context ctx, ServedModel model, float[][] input) {
        ImageInput.Invert invert = invert(ctx);
        try (Ticket budget = reserve(ctx)) {
            byte[] picture = picture(ctx);
            try (Ticket ticket = model.open();
                    Ticket decoding = reserveDecoding(List.of(picture), List.of("the picture"), model)) {
                input[0] = model.prepare(picture, "the picture", invert);
                return await(model.predict(model.pictures(input[0], 1))).get(0);
            }
        }
    }

    private void tryValidation(Context ctx) {
        ServedModel model = model(ctx);
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
        try (Ticket ignored = model.open()) {
            List<Predictor.Prediction> answer = await(model.predict(new Batcher.Images(pixels, 1, ImageInput.SIDE))).get(0);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("model", model.name());
            result.put("index", index);
            result.put("label", model.classes().get(split.label(index)));
            result.put("input", pixels);
            result.put("predictions", classifications(answer));
            ctx.json(result);
        }
    }

    private Split validation() {
        synchronized (validationLock) {
            return loadValidation();
        }
    }

    private Split loadValidation() {
        if (validation == null && validationError == null) {
            try {
                DataConfig data = RunConfig.book().data().withDataDir(config.dataDir()).withResize(FashionMnist.SIDE_PIXELS);
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

    private static List<Map<String, Object>> classifications(List<Predictor.Prediction> answer) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Predictor.Prediction prediction : answer) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("className", prediction.label());
            entry.put("probability", prediction.probability());
            list.add(entry);
        }
        return list;
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

    private static ImageInput.Invert invert(Context ctx) {
        String text = ctx.queryParam("invert");
        if (text == null) {
            return ImageInput.Invert.AUTO;
        }
        try {
            return ImageInput.Invert.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("invert '" + text + "' is not auto, yes or no");
        }
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> answer) {
        try {
            return answer.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "interrupted while waiting for the model");
        } catch (TimeoutException e) {
            answer.cancel(false);
            throw new HttpError(503, "the model did not answer within " + ANSWER_TIMEOUT_SECONDS + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    // ---- bodies

    /** A claim that is given back when closed. */
    interface Ticket extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Reserves heap for a request's body and what it is turned into (at most about three times its
     * size), waiting while others hold the budget; a body of unknown length reserves the limit. So
     * the memory of requests in flight stays within {@link ServeConfig#MEMORY_BUDGET_BYTES} whatever
     * they carry.
     */
    private Ticket reserve(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > config.maxBodyBytes()) {
            throw tooLarge();
        }
        long bytes = 3 * (declared >= 0 ? declared : config.maxBodyBytes()) + 64 * 1024;
        return acquire((int) Math.min(BUDGET_KIB, (bytes + 1023) / 1024));
    }

    /** Takes {@code kib} KiB of the memory budget, waiting a while for them; 503 when they do not come. */
    private Ticket acquire(int kib) {
        try {
            if (!budget.tryAcquire(kib, ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new HttpError(503, "the server is busy; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "interrupted while waiting for memory");
        }
        return () -> budget.release(kib);
    }

    /**
     * Reserves from the memory budget what decoding the pictures will hold, read from their headers before any
     * pixel is decoded (a progressive JPEG holds its whole picture's coefficients, others are read subsampled),
     * and refuses a request whose pictures hold more than {@link ServeConfig#MAX_PIXELS_PER_REQUEST} pixels in all
     * (413: decoding them is the cost, whatever the body's size).
     */
    private Ticket reserveDecoding(List<byte[]> pictures, List<String> names, ServedModel model) {
        long pixels = 0;
        long bytes = 0;
        for (int i = 0; i < pictures.size(); i++) {
            dev.alexnet.data.PictureDecoder.Header header = dev.alexnet.data.PictureDecoder.header(pictures.get(i),
                    names.get(i));
            pixels += (long) header.width() * header.height();
            bytes += header.decodingBytes(ImageInput.decodeSide(model.config()));
        }
        if (pixels > ServeConfig.MAX_PIXELS_PER_REQUEST) {
            throw new HttpError(413, String.format(Locale.ROOT, "the pictures of this request hold %.1f megapixels; "
                    + "a request may carry at most %d", pixels / 1e6, ServeConfig.MAX_PIXELS_PER_REQUEST / 1_000_000));
        }
        if (bytes > ServeConfig.MEMORY_BUDGET_BYTES / 2) {
            throw new HttpError(413, String.format(Locale.ROOT, "decoding these pictures needs about %d MB (a progressive "
                    + "JPEG holds all its pixels while decoded), more than a request may take of the server's %d MB",
                    bytes >> 20, ServeConfig.MEMORY_BUDGET_BYTES / 2 >> 20));
        }
        return acquire((int) Math.max(1, (bytes + 1023) / 1024));
    }

    /**
     * Reads the body, refusing with 413 one that grows past the limit while read (one declared longer
     * was refused by {@link #reserve}, which every reader calls first).
     */
    private byte[] body(Context ctx) {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes((int) config.maxBodyBytes() + 1);
            if (body.length > config.maxBodyBytes()) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw HttpError.badRequest("the body could not be read (" + Messages.firstLine(e.getMessage()) + ")");
        }
    }

    /** Returns the picture of a request: the multipart field {@code data} (or {@code body}), else the raw body. */
    private byte[] picture(Context ctx) {
        byte[] picture;
        if (ctx.isMultipartFormData()) {
            UploadedFile file;
            try {
                file = ctx.uploadedFile("data");
                if (file == null) {
                    file = ctx.uploadedFile("body");
                }
            } catch (Exception e) { // Jetty's IOException and ServletException pass through Kotlin undeclared
                if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("exceed")) {
                    throw tooLarge();
                }
                throw HttpError.badRequest("bad multipart body (" + Messages.firstLine(e.getMessage()) + ")");
            }
            if (file == null) {
                throw HttpError.badRequest("the multipart body has no field 'data'");
            }
            try (InputStream in = file.content()) {
                picture = in.readNBytes((int) config.maxBodyBytes() + 1);
            } catch (IOException e) {
                throw HttpError.badRequest("the uploaded file could not be read (" + Messages.firstLine(e.getMessage()) + ")");
            }
        } else {
            picture = body(ctx);
        }
        if (picture.length == 0) {
            throw HttpError.badRequest("no picture: send the image file as the body or as multipart field 'data'");
        }
        return picture;
    }

    private HttpError tooLarge() {
        return new HttpError(413, "the body is larger than the limit of "
                + config.maxBodyBytes() + " bytes");
    }

    // ---- pages and the board

    private static void page(Context ctx, String name) {
        try (InputStream in = InferenceServer.class.getResourceAsStream("/serve/" + name)) {
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

    private static String version() {
        String version = InferenceServer.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }

    // ---- stopping

    /**
     * Stops taking requests (new ones get 503), lets those in flight finish (within {@code patience}),
     * then stops listening and closes the models.
     */
    public void drainAndStop(long patienceMillis) {
        draining = true;
        long deadline = System.currentTimeMillis() + patienceMillis;
        synchronized (inFlightLock) {
            while (inFlight > 0 && System.currentTimeMillis() < deadline) {
                try {
                    inFlightLock.wait(Math.max(1, deadline - System.currentTimeMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        // Javalin counts a request answered once it has handed the response to Jetty, which writes it out
        // on the request's thread just after: stopping Jetty at that instant can cut the last answer off.
        // A fifth of a second lets it reach the socket (ServeProcessTest lost one answer in ten runs without it).
        try {
            Thread.sleep(FLUSH_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /** How long a drain waits after the last answer was handed to Jetty, for it to be written out. */
    private static final long FLUSH_GRACE_MILLIS = 200;

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        draining = true;
        if (app != null) {
            app.stop();
        }
        for (ServedModel model : models.values()) {
            model.close();
        }
    }

    private static final class FiniteOrNull extends com.google.gson.TypeAdapter<Double> {
        @Override
        public void write(com.google.gson.stream.JsonWriter out, Double value) throws IOException {
            if (value == null || !Double.isFinite(value)) {
                out.nullValue();
            } else {
                out.value(value);
            }
        }

        @Override
        public Double read(com.google.gson.stream.JsonReader in) throws IOException {
            if (in.peek() == com.google.gson.stream.JsonToken.NULL) {
                in.nextNull();
                return Double.NaN;
            }
            return in.nextDouble();
        }
    }

    /** Javalin's JSON through the project's one Gson set-up. */
    private static final class GsonMapper implements JsonMapper {
        @Override
        public String toJsonString(Object value, Type type) {
            return GSON.toJson(value, type);
        }

        @Override
        public <T> T fromJsonString(String json, Type type) {
            return GSON.fromJson(json, type);
        }
    }
}
