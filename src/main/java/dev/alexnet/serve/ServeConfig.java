package dev.alexnet.serve;

import java.nio.file.Path;

/**
 * How the server runs.
 *
 * @param host the address to listen on (127.0.0.1 unless said otherwise)
 * @param port the port (0: any free one)
 * @param maxBatch the most images one engine batch holds
 * @param maxDelayMillis the longest a batch waits for the next request to join it, while more are expected
 * @param maxBodyBytes the largest request body accepted (larger: 413)
 * @param token the bearer token every API request must carry, or {@code null} for none
 * @param runs the folder of run directories the board shows, or {@code null} for no board
 * @param dataDir Fashion-MNIST, for the page's random validation images, or {@code null}
 */
public record ServeConfig(String host, int port, int maxBatch, long maxDelayMillis, long maxBodyBytes, String token,
        Path runs, Path dataDir) {

    /** The default address: this machine only. */
    public static final String LOCALHOST = "127.0.0.1";

    /** The default port. */
    public static final int DEFAULT_PORT = 8080;

    /** The default batch limit. */
    public static final int DEFAULT_MAX_BATCH = 32;

    /** The default wait for a batch to fill, in milliseconds. */
    public static final long DEFAULT_MAX_DELAY_MS = 5;

    /** The most images one request may carry (more: 413). */
    public static final int MAX_IMAGES_PER_REQUEST = 1024;

    /** The heap that requests in flight may hold at once; more wait for their turn. */
    public static final long MEMORY_BUDGET_BYTES = 256L * 1024 * 1024;

    /** The most pixels the pictures of one request may hold in all, as their headers say (decoding is the cost). */
    public static final long MAX_PIXELS_PER_REQUEST = 100_000_000L;

    /** The default body limit: 10 MB. */
    public static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;

    public ServeConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must name an address");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port " + port + " is out of range (0 to 65535)");
        }
        if (maxBatch < 1 || maxBatch > 4096) {
            throw new IllegalArgumentException("--max-batch " + maxBatch + " is out of range (1 to 4096)");
        }
        if (maxDelayMillis < 0 || maxDelayMillis > 60_000) {
            throw new IllegalArgumentException("--max-delay-ms " + maxDelayMillis + " is out of range (0 to 60000)");
        }
        if (maxBodyBytes < 1024 || maxBodyBytes > MEMORY_BUDGET_BYTES / 3) {
            throw new IllegalArgumentException("the body limit " + maxBodyBytes + " is out of range (1 KiB to "
                    + MEMORY_BUDGET_BYTES / 3 / 1024 / 1024 + " MiB)");
        }
        if (token != null && (token.isBlank() || !token.chars().allMatch(c -> c > 32 && c < 127))) {
            throw new IllegalArgumentException("--token must be printable ASCII without spaces");
        }
    }

    /** Returns the defaults: 127.0.0.1:8080, batches of 32 within 5 ms, 10 MB bodies, no token, no board. */
    public static ServeConfig defaults() {
        return new ServeConfig(LOCALHOST, DEFAULT_PORT, DEFAULT_MAX_BATCH, DEFAULT_MAX_DELAY_MS, DEFAULT_MAX_BODY, null,
                null, null);
    }

    /** Returns this configuration on {@code port}. */
    public ServeConfig withPort(int port) {
        return new ServeConfig(host, port, maxBatch, maxDelayMillis, maxBodyBytes, token, runs, dataDir);
    }
}
