package dev.alexnet.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The server's Prometheus metrics: requests and errors by API and status, latency, batch sizes,
 * images and images per second, requests in flight, and the JVM's and process's own (resident memory
 * among them).
 */
final class ServerMetrics {

    /** Seconds over which {@code alexnet_images_per_second} is averaged. */
    static final int RATE_WINDOW_SECONDS = 10;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);
    private final Counter requests;
    private final Counter errors;
    private final Histogram latency;
    private final Histogram batchSizes;
    private final Counter images;
    private final Gauge inFlight;
    private final Counter refusedConnections;
    private final long[] perSecond = new long[RATE_WINDOW_SECONDS + 1];
    private final long[] secondOf = new long[RATE_WINDOW_SECONDS + 1];

    ServerMetrics() {
        requests = Counter.builder().name("alexnet_requests").help("HTTP requests answered, by API and status")
                .labelNames("api", "status").register(registry);
        errors = Counter.builder().name("alexnet_errors").help("Requests answered with a status of 400 or more, by API")
                .labelNames("api").register(registry);
        latency = Histogram.builder().name("alexnet_request_duration_seconds")
                .help("Time from a request's arrival to its answer, by API").labelNames("api").classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(registry);
        batchSizes = Histogram.builder().name("alexnet_batch_size").help("Images per engine batch (dynamic batching)")
                .classicOnly().classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256).register(registry);
        images = Counter.builder().name("alexnet_images").help("Images classified").register(registry);
        inFlight = Gauge.builder().name("alexnet_requests_in_flight").help("Requests being answered now")
                .register(registry);
        GaugeWithCallback.builder().name("alexnet_images_per_second")
                .help("Images classified per second over the last " + RATE_WINDOW_SECONDS + " seconds")
                .callback(callback -> callback.call(imagesPerSecond())).register(registry);
        refusedConnections = Counter.builder().name("alexnet_connections_refused")
                .help("Connections closed as they opened: their address held as many as one may").register(registry);
        JvmMetrics.builder().register(registry);
    }

    /** Counts a request as started; returns its start time for {@link #answered}. */
    long started() {
        inFlight.inc();
        return System.nanoTime();
    }

    /** Counts a request as answered with {@code status}. */
    void answered(String api, int status, long startNanos) {
        inFlight.dec();
        requests.labelValues(api, Integer.toString(status)).inc();
        if (status >= 400) {
            errors.labelValues(api).inc();
        }
        latency.labelValues(api).observe((System.nanoTime() - startNanos) / 1e9);
    }

    /** Publishes the room left in the memory budget, in bytes, as read when scraped. */
    void budget(java.util.function.LongSupplier freeBytes) {
        GaugeWithCallback.builder().name("alexnet_memory_budget_free_bytes")
                .help("Room left in the memory budget that requests in flight share")
                .callback(callback -> callback.call(freeBytes.getAsLong())).register(registry);
    }

    /** Counts a connection closed because its address held too many. */
    void connectionRefused() {
        refusedConnections.inc();
    }

    /** Counts one engine batch of {@code size} images. */
    void batch(int size) {
        batchSizes.observe(size);
        images.inc(size);
        long second = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime());
        synchronized (perSecond) {
            int slot = (int) (second % perSecond.length);
            if (secondOf[slot] != second) {
                secondOf[slot] = second;
                perSecond[slot] = 0;
            }
            perSecond[slot] += size;
        }
    }

    private double imagesPerSecond() {
        long now = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime());
        long sum = 0;
        synchronized (perSecond) {
            // the whole seconds of the window, not the one still running
            for (int i = 0; i < perSecond.length; i++) {
                if (secondOf[i] < now && secondOf[i] >= now - RATE_WINDOW_SECONDS) {
                    sum += perSecond[i];
                }
            }
        }
        return (double) sum / RATE_WINDOW_SECONDS;
    }

    /** Returns the content type of {@link #text()}. */
    String contentType() {
        return writer.getContentType();
    }

    /** Returns every metric in Prometheus's text format. */
    String text() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writer.write(out, registry.scrape());
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
