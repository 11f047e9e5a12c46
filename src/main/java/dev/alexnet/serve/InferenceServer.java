package dev.alexnet.serve;

import ai.djl.Device;
import com.google.gson.Gson;
import dev.alexnet.io.Json;
import dev.alexnet.io.Messages;
import dev.alexnet.model.Classifier;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JsonMapper;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * {@code alexnet serve}: trained models over HTTP, in this JVM, on Javalin (Jetty underneath): the Open
 * Inference Protocol v2 ({@link V2Routes}), TorchServe's API ({@link TorchServeRoutes}), the pages
 * ({@link PageRoutes}) and {@code /metrics} in Prometheus's text format. Every request passes
 * {@link Admission} first; bodies are read as they arrive ({@link Bodies}) and images answered through
 * {@link Inference}, whose requests for one model share engine batches ({@link Batcher}). Every refusal is a
 * status with {@code {"error": "one line"}}.
 *
 * <p>This class starts the server, bounds its connections, and drains and stops it.
 */
public final class InferenceServer implements AutoCloseable {

    /** The project's Gson, writing a number that is not finite (an old run's missing train accuracy) as null. */
    private static final Gson GSON = Json.compact().newBuilder()
            .registerTypeAdapter(Double.class, new FiniteOrNull())
            .registerTypeAdapter(double.class, new FiniteOrNull())
            .create();

    /** How long a drain waits after the last answer was written, for the socket to take it. */
    private static final long FLUSH_GRACE_MILLIS = 200;

    private final ServeConfig config;
    private final ModelTable models = new ModelTable();
    private final ServerMetrics metrics = new ServerMetrics();
    private final Admission admission;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private boolean closed;
    private Javalin app;

    private InferenceServer(ServeConfig config) {
        this.config = config;
        this.admission = new Admission(config, metrics);
        this.workers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                daemons("serve-work"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemons("serve-timer"));
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
        try {
            for (ModelSpec spec : specs) {
                if (server.models.has(spec.name())) {
                    throw new IllegalArgumentException("two models are called '" + spec.name()
                            + "'; name them with NAME=PATH");
                }
                Classifier classifier = spec.load(device);
                // clients are told the file's name, never where it lies on the server
                server.models.add(new ServedModel(spec.name(), spec.publicSource(), classifier,
                        classifier.config().classNames(), config.maxBatch(), config.maxDelayMillis(), server.metrics::batch));
                announce.accept(String.format(Locale.ROOT, "model %s: %s %dx%d, from %s", spec.name(),
                        classifier.config().name(), classifier.config().inputSize(), classifier.config().inputSize(),
                        spec.source()));
            }
            server.app = server.routes(announce).start();
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
        return models.names();
    }

    /** Returns whether {@code address} is this machine only: a server bound elsewhere is reachable by others. */
    public static boolean isLoopback(String address) {
        return Admission.isLoopback(address);
    }

    private Javalin routes(Consumer<String> announce) {
        ServeConfig.Limits limits = config.limits();
        Javalin javalin = Javalin.create(web -> {
            web.showJavalinBanner = false;
            web.startupWatcherEnabled = false;
            web.jsonMapper(new GsonMapper());
            web.http.maxRequestSize = config.maxBodyBytes();
            web.staticFiles.add(files -> {
                files.hostedPath = "/static";
                files.directory = "/serve";
                files.location = Location.CLASSPATH;
            });
            web.staticFiles.enableWebjars();
            // a body slower than this from its first byte is answered 408 (Jetty's own check)
            web.jetty.modifyHttpConfiguration(http -> http.setMinRequestDataRate(limits.minBodyBytesPerSecond()));
            web.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(config.host());
                connector.setPort(config.port());
                connector.setIdleTimeout(limits.bodyMillis());
                connector.addBean(admission.perClient());
                connector.addBean(admission.completions());
                return connector;
            });
            web.jetty.modifyServer(server -> {
                server.setErrorHandler(new JsonErrorHandler());
                // past the limit Jetty stops accepting until a connection closes
                server.addBean(new ConnectionLimit(limits.maxConnections(), server));
            });
        });
        javalin.before(admission::admit);
        javalin.exception(HttpError.class, (e, ctx) -> Admission.refuse(ctx, e.status(), e.getMessage()));
        javalin.exception(IllegalArgumentException.class, (e, ctx) -> Admission.refuse(ctx, 400, e.getMessage()));
        javalin.exception(Exception.class, (e, ctx) -> Admission.refuse(ctx, 500, "internal error: "
                + e.getClass().getSimpleName() + ": " + e.getMessage()));
        javalin.error(500, ctx -> {
            if (ctx.attribute("refused") == null) {
                Admission.refuse(ctx, 500, "internal error");
            }
        });
        javalin.error(404, ctx -> {
            if (ctx.attribute("refused") == null) {
                Admission.refuse(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path());
            }
        });
        javalin.error(405, ctx -> {
            if (ctx.attribute("refused") == null) {
                Admission.refuse(ctx, 405, "method " + ctx.method() + " not allowed on " + ctx.path());
            }
        });

        Inference inference = new Inference(config, admission, new Bodies(config, admission, timer), workers);
        new V2Routes(models, admission, inference).register(javalin, version());
        new TorchServeRoutes(models, admission, inference).register(javalin);
        javalin.get("/metrics", ctx -> ctx.contentType(metrics.contentType()).result(metrics.text()));
        new PageRoutes(config, models, admission, inference, announce).register(javalin);
        return javalin;
    }

    private static String version() {
        String version = InferenceServer.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    // ---- stopping

    /**
     * Stops taking requests (new ones get 503), lets those in flight finish (within {@code patience}),
     * then stops listening and closes the models.
     */
    public void drainAndStop(long patienceMillis) {
        admission.drain();
        admission.awaitIdle(System.currentTimeMillis() + patienceMillis);
        try {
            Thread.sleep(FLUSH_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        admission.drain();
        if (app != null) {
            app.stop();
        }
        models.close();
        workers.shutdownNow();
        timer.shutdownNow();
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
