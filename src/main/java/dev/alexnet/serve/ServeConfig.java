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
 * @param limits what one client and all of them together may hold
 */
public record ServeConfig(String host, int port, int maxBatch, long maxDelayMillis, long maxBodyBytes, String token,
        Path runs, Path dataDir, Limits limits) {

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

    /** The default heap that requests in flight may hold at once; more wait for their turn. */
    public static final long MEMORY_BUDGET_BYTES = 256L * 1024 * 1024;

    /** The most pixels the pictures of one request may hold in all, as their headers say (decoding is the cost). */
    public static final long MAX_PIXELS_PER_REQUEST = 100_000_000L;

    /** The default body limit: 10 MB. */
    public static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;

    /**
     * What clients may hold of the server.
     *
     * @param maxConnections the most connections open at once (more wait to be accepted)
     * @param maxConnectionsPerClient the most connections open at once from one address (more are closed at once)
     * @param minBodyBytesPerSecond the slowest a body may arrive, measured from its first byte (slower: 408)
     * @param bodyMillis the longest a body may take to arrive in all (longer: 408)
     * @param decodeMillis the longest the pictures of one request may take to decode (longer: 422)
     * @param budgetWaitMillis the longest a request waits for room in the memory budget (then 503 with Retry-After)
     * @param memoryBudgetBytes the heap that requests in flight may hold at once (bodies, what they are parsed and
     *     decoded into)
     */
    public record Limits(int maxConnections, int maxConnectionsPerClient, int minBodyBytesPerSecond, long bodyMillis,
            long decodeMillis, long budgetWaitMillis, long memoryBudgetBytes) {

        /**
         * The defaults: 2,048 connections, 512 per address, 4 KiB/s and 30 s for a body, 10 s to decode, 2 s
         * wait for a 256 MiB budget.
         */
        public static final Limits DEFAULT = new Limits(2048, 512, 4096, 30_000, 10_000, 2_000, MEMORY_BUDGET_BYTES);

        public Limits {
            if (maxConnections < 1 || maxConnections > 100_000) {
                throw new IllegalArgumentException("--max-connections " + maxConnections + " is out of range (1 to 100000)");
            }
            if (maxConnectionsPerClient < 1 || maxConnectionsPerClient > maxConnections) {
                throw new IllegalArgumentException("--max-connections-per-client " + maxConnectionsPerClient
                        + " is out of range (1 to --max-connections, " + maxConnections + ")");
            }
            if (minBodyBytesPerSecond < 0 || bodyMillis < 1 || decodeMillis < 1 || budgetWaitMillis < 0
                    || bodyMillis > 3_600_000 || decodeMillis > 3_600_000 || budgetWaitMillis > 600_000) {
                throw new IllegalArgumentException("a body rate or time limit is out of range");
            }
            if (memoryBudgetBytes < (1L << 20) || memoryBudgetBytes > (1L << 40)) {
                throw new IllegalArgumentException("--memory-budget-mb " + (memoryBudgetBytes >> 20)
                        + " is out of range (1 to 1048576)");
            }
        }

        /** Returns these limits with {@code maxConnections} in all and {@code perClient} from one address. */
        public Limits withConnections(int maxConnections, int perClient) {
            return new Limits(maxConnections, perClient, minBodyBytesPerSecond, bodyMillis, decodeMillis,
                    budgetWaitMillis, memoryBudgetBytes);
        }

        /** Returns these limits with a memory budget of {@code bytes}. */
        public Limits withMemoryBudget(long bytes) {
            return new Limits(maxConnections, maxConnectionsPerClient, minBodyBytesPerSecond, bodyMillis, decodeMillis,
                    budgetWaitMillis, bytes);
        }
    }

    /** A configuration with the default {@link Limits}. */
    public ServeConfig(String host, int port, int maxBatch, long maxDelayMillis, long maxBodyBytes, String token,
            Path runs, Path dataDir) {
        this(host, port, maxBatch, maxDelayMillis, maxBodyBytes, token, runs, dataDir, Limits.DEFAULT);
    }

    public ServeConfig {
        if (limits == null) {
            throw new IllegalArgumentException("no limits");
        }
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
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("the body limit " + maxBodyBytes + " bytes is below 1 KiB");
        }
        if (maxBodyBytes > limits.memoryBudgetBytes() / 3) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "the body limit (%.1f MiB) is more "
                    + "than a third of the memory budget (%d MiB): lower --max-body-mb or raise --memory-budget-mb",
                    maxBodyBytes / 1048576.0, limits.memoryBudgetBytes() >> 20));
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
        return new ServeConfig(host, port, maxBatch, maxDelayMillis, maxBodyBytes, token, runs, dataDir, limits);
    }

    /** Returns this configuration with {@code limits}. */
    public ServeConfig withLimits(Limits limits) {
        return new ServeConfig(host, port, maxBatch, maxDelayMillis, maxBodyBytes, token, runs, dataDir, limits);
    }
}
