package dev.alexnet.bench;

import dev.alexnet.io.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * A load test of a running server: C clients, each sending its next request as soon as the last
 * is answered, for T seconds or N requests in all; latencies are recorded in an HdrHistogram. The
 * server's resident memory is read from its {@code /metrics} before and after.
 */
public final class ServeLoad {

    /** What each request carries. */
    public enum Payload {
        /** An Open Inference Protocol v2 request with FP32 pixels [B, 1, 28, 28]. */
        V2_PIXELS,
        /** A TorchServe request with a picture file as the body. */
        PICTURE
    }

    /**
     * The test to run.
     *
     * @param baseUrl the server, such as {@code http://127.0.0.1:8080}
     * @param model the model's name
     * @param payload what each request carries
     * @param imagesPerRequest B of a V2_PIXELS request (1 for PICTURE)
     * @param picture the picture of a PICTURE request, else {@code null}
     * @param clients C, concurrent clients
     * @param seconds how long to run, or 0 to count requests instead
     * @param requests how many requests in all when {@code seconds} is 0
     * @param token a bearer token, or {@code null}
     * @param slowClients hostile clients sending a 10 MB body a byte a second, besides the C clients
     * @param halfOpen hostile clients sending one byte of a 1,000-byte body, besides the C clients
     */
    public record Config(URI baseUrl, String model, Payload payload, int imagesPerRequest, Path picture, int clients,
            int seconds, long requests, String token, int slowClients, int halfOpen) {

        /** A test without hostile clients. */
        public Config(URI baseUrl, String model, Payload payload, int imagesPerRequest, Path picture, int clients,
                int seconds, long requests, String token) {
            this(baseUrl, model, payload, imagesPerRequest, picture, clients, seconds, requests, token, 0, 0);
        }

        public Config {
            if (slowClients < 0 || slowClients > 1000 || halfOpen < 0 || halfOpen > 1000) {
                throw new IllegalArgumentException("--slow-clients and --half-open are out of range (0 to 1000)");
            }
            if (clients < 1 || clients > 1024) {
                throw new IllegalArgumentException("--clients " + clients + " is out of range (1 to 1024)");
            }
            if (imagesPerRequest < 1 || imagesPerRequest > 4096) {
                throw new IllegalArgumentException("--images " + imagesPerRequest + " is out of range (1 to 4096)");
            }
            if ((seconds > 0) == (requests > 0)) {
                throw new IllegalArgumentException("give --seconds T or --requests N (one of them)");
            }
            if (payload == Payload.PICTURE && picture == null) {
                throw new IllegalArgumentException("a picture load needs --picture FILE");
            }
            if (payload == Payload.PICTURE && imagesPerRequest != 1) {
                throw new IllegalArgumentException("a picture request carries one image (--images 1)");
            }
        }
    }

    /**
     * What the test measured.
     *
     * @param requests requests answered (any status)
     * @param errors requests answered with a status other than 200, or that failed
     * @param firstError the first error's status and text, or {@code null}
     * @param seconds the wall time
     * @param requestsPerSecond answered requests per second
     * @param imagesPerSecond images classified per second (successful requests only)
     * @param p50Ms median latency
     * @param p95Ms 95th percentile latency
     * @param p99Ms 99th percentile latency
     * @param maxMs the longest
     * @param rssBeforeMb the server's resident memory before, in MB, or -1 when /metrics does not say
     * @param rssAfterMb the same after
     * @param healthChecks {@code /v2/health/live} checks made, ten a second, while the clients ran
     * @param healthErrors those not answered 200
     * @param healthP99Ms their 99th percentile latency
     * @param healthMaxMs the longest
     * @param hostileReconnects how often the server answered or closed a hostile client's connection (each came back)
     */
    public record Result(long requests, long errors, String firstError, double seconds, double requestsPerSecond,
            double imagesPerSecond, double p50Ms, double p95Ms, double p99Ms, double maxMs, double rssBeforeMb,
            double rssAfterMb, long healthChecks, long healthErrors, double healthP99Ms, double healthMaxMs,
            long hostileReconnects) {}

    private ServeLoad() {}

    /** Runs the test; {@code progress} is told once a second how far it is. */
    public static Result run(Config config, java.util.function.Consumer<String> progress) {
        byte[] body = body(config);
        String path = config.payload() == Payload.V2_PIXELS ? "/v2/models/" + config.model() + "/infer"
                : "/predictions/" + config.model();
        URI target = config.baseUrl().resolve(path);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        check(client, config, target, body);
        double rssBefore = residentMb(client, config);
        Recorder recorder = new Recorder(3);
        AtomicLong answered = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong issued = new AtomicLong();
        String[] firstError = new String[1];
        long start = System.nanoTime();
        long end = config.seconds() > 0 ? start + config.seconds() * 1_000_000_000L : Long.MAX_VALUE;
        ExecutorService pool = Executors.newFixedThreadPool(config.clients() + 1);
        Recorder health = new Recorder(3);
        AtomicLong healthChecks = new AtomicLong();
        AtomicLong healthErrors = new AtomicLong();
        Attackers attackers = config.slowClients() + config.halfOpen() > 0
                ? new Attackers(config.baseUrl(), config.model(), config.slowClients(), config.halfOpen()) : null;
        try {
            pool.submit(() -> probe(client, config, end, health, healthChecks, healthErrors));
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < config.clients(); c++) {
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < end && (config.requests() == 0
                            || issued.incrementAndGet() <= config.requests())) {
                        long sent = System.nanoTime();
                        String error = send(client, config, target, body);
                        recorder.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
                        answered.incrementAndGet();
                        if (error != null) {
                            failed.incrementAndGet();
                            synchronized (firstError) {
                                if (firstError[0] == null) {
                                    firstError[0] = error;
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            long lastReport = start;
            for (Future<?> worker : workers) {
                while (true) {
                    try {
                        worker.get(1, java.util.concurrent.TimeUnit.SECONDS);
                        break;
                    } catch (java.util.concurrent.TimeoutException e) {
                        long now = System.nanoTime();
                        if (now - lastReport >= 1_000_000_000L) {
                            lastReport = now;
                            progress.accept(String.format(Locale.ROOT, "%.0f s: %d requests, %d errors",
                                    (now - start) / 1e9, answered.get(), failed.get()));
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a client failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
            if (attackers != null) {
                attackers.close();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Histogram checks = health.getIntervalHistogram();
        Histogram latencies = recorder.getIntervalHistogram();
        long ok = answered.get() - failed.get();
        return new Result(answered.get(), failed.get(), firstError[0], seconds, answered.get() / seconds,
                ok * (double) config.imagesPerRequest() / seconds, latencies.getValueAtPercentile(50) / 1000.0,
                latencies.getValueAtPercentile(95) / 1000.0, latencies.getValueAtPercentile(99) / 1000.0,
                latencies.getMaxValue() / 1000.0, rssBefore, residentMb(client, config), healthChecks.get(),
                healthErrors.get(), checks.getValueAtPercentile(99) / 1000.0, checks.getMaxValue() / 1000.0,
                attackers != null ? attackers.reconnects() : 0);
    }

    /** Checks {@code /v2/health/live} ten times a second until {@code end} or until interrupted. */
    private static Void probe(HttpClient client, Config config, long end, Recorder latencies, AtomicLong checks,
            AtomicLong errors) {
        HttpRequest request = HttpRequest.newBuilder(config.baseUrl().resolve("/v2/health/live"))
                .timeout(Duration.ofSeconds(30)).GET().build();
        while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
            long sent = System.nanoTime();
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                    errors.incrementAndGet();
                }
            } catch (IOException e) {
                errors.incrementAndGet();
            } catch (InterruptedException e) {
                return null;
            }
            latencies.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
            checks.incrementAndGet();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return null;
            }
        }
        return null;
    }

    private static byte[] body(Config config) {
        if (config.payload() == Payload.PICTURE) {
            try {
                return Files.readAllBytes(config.picture());
            } catch (IOException e) {
                throw new IllegalArgumentException(config.picture() + ": cannot be read (" + e.getMessage() + ")");
            }
        }
        // pixels as Fashion-MNIST's: a product of light pixels on black; the server's work is the same for any
        Random random = new Random(42);
        StringBuilder data = new StringBuilder();
        int values = config.imagesPerRequest() * 28 * 28;
        for (int i = 0; i < values; i++) {
            data.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", random.nextFloat()));
        }
        return ("{\"inputs\":[{\"name\":\"input\",\"shape\":[" + config.imagesPerRequest() + ",1,28,28],"
                + "\"datatype\":\"FP32\",\"data\":[" + data + "]}],"
                + "\"outputs\":[{\"name\":\"probabilities\",\"parameters\":{\"classification\":3}}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static HttpRequest request(Config config, URI target, byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(Duration.ofMinutes(2))
                .header("Content-Type", config.payload() == Payload.V2_PIXELS ? "application/json"
                        : "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (config.token() != null) {
            builder.header("Authorization", "Bearer " + config.token());
        }
        return builder.build();
    }

    /** Sends one request; returns null when it succeeded, else what went wrong. */
    private static String send(HttpClient client, Config config, URI target, byte[] body) {
        try {
            HttpResponse<String> response = client.send(request(config, target, body),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? null : response.statusCode() + " " + response.body();
        } catch (IOException e) {
            return "I/O: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Sends one request first, so a wrong address, model or token fails at once with its reason. */
    private static void check(HttpClient client, Config config, URI target, byte[] body) {
        String error;
        try {
            error = send(client, config, target, body);
        } catch (RuntimeException e) {
            error = e.getMessage();
        }
        if (error != null) {
            throw new IllegalArgumentException(target + ": " + dev.alexnet.io.Messages.firstLine(error));
        }
    }

    /** Reads {@code process_resident_memory_bytes} from the server's /metrics, in MB; -1 if it is not there. */
    private static double residentMb(HttpClient client, Config config) {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(config.baseUrl().resolve("/metrics"))
                    .timeout(Duration.ofSeconds(30)).GET();
            if (config.token() != null) {
                builder.header("Authorization", "Bearer " + config.token());
            }
            String text = client.send(builder.build(), HttpResponse.BodyHandlers.ofString()).body();
            for (String line : text.split("\n")) {
                if (line.startsWith("process_resident_memory_bytes ")) {
                    return Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim()) / 1e6;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }

    /** Returns the result as one JSON object. */
    public static String json(Result result) {
        return Json.compact().toJson(result);
    }
}
