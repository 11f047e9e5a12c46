package dev.alexnet.serve;

import dev.alexnet.io.Messages;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpChannel;
import org.eclipse.jetty.server.Request;

/**
 * Who and what the server lets in: the Host and token checks every request passes first, the memory budget
 * that requests in flight share, the count of requests in flight (which a drain waits out), readiness, and
 * the connections one address may hold.
 *
 * <p>Requests are counted from their admission until Jetty has written their last byte ({@link #completions}),
 * whatever becomes of them.
 */
final class Admission {

    /** The request attribute holding when an admitted request arrived. */
    private static final String STARTED = "alexnet.started";

    private final ServeConfig config;
    private final ServerMetrics metrics;
    private final Semaphore budget;
    private final Object inFlightLock = new Object();
    private int inFlight;
    private volatile boolean draining;

    Admission(ServeConfig config, ServerMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.budget = new Semaphore((int) Math.min(Integer.MAX_VALUE, config.limits().memoryBudgetBytes() >> 10), true);
        metrics.budget(() -> budget.availablePermits() * 1024L);
    }

    // ---- every request

    /** Javalin's before-handler: counts the request, then checks its Host, the drain and its token. */
    void admit(Context ctx) {
        ctx.attribute(STARTED, metrics.started());
        synchronized (inFlightLock) {
            inFlight++;
        }
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

    /** Told by Jetty when a request is over (its answer written, or its connection lost): counts it answered. */
    HttpChannel.Listener completions() {
        return new HttpChannel.Listener() {
            @Override
            public void onComplete(Request request) {
                if (!(request.getAttribute(STARTED) instanceof Long started)) {
                    return;
                }
                metrics.answered(api(request.getRequestURI()), request.getResponse().getStatus(), started);
                synchronized (inFlightLock) {
                    inFlight--;
                    inFlightLock.notifyAll();
                }
            }
        };
    }

    /** Refuses a request: {@code status} with {@code {"error": reason}}; a busy server says when to come back. */
    static void refuse(Context ctx, int status, String reason) {
        ctx.attribute("refused", true);
        if (status == 503) {
            ctx.header("Retry-After", "1");
        }
        if (status == 408 || status == 413) {
            // the rest of the body is not read: the connection cannot carry another request
            ctx.header("Connection", "close");
        }
        ctx.status(status).json(Map.of("error", Messages.firstLine(reason == null ? "error" : reason)));
    }

    /** Whether a request is a health check: answered without the token, during a drain and under any load. */
    static boolean isHealthCheck(String path) {
        return path.startsWith("/v2/health/") || path.equals("/ping");
    }

    /** Pages, their scripts and the health checks need no token: they hold no model output. */
    private static boolean isPublic(String path) {
        return path.equals("/") || path.startsWith("/static/") || path.startsWith("/webjars/")
                || isHealthCheck(path) || path.equals("/favicon.ico")
                || (path.startsWith("/runs") && !path.contains("/files/"));
    }

    /** Whether the client asked for JSON rather than a page. */
    static boolean prefersJson(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("application/json") && !accept.contains("text/html");
    }

    /** Whether the request carries the server's token (any request does when there is none). */
    boolean authorized(Context ctx) {
        if (config.token() == null) {
            return true;
        }
        String header = ctx.header("Authorization");
        // the scheme's name is case-insensitive (RFC 9110, 11.1)
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring("Bearer ".length()).trim() : ctx.queryParam("token");
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                config.token().getBytes(StandardCharsets.UTF_8));
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
    static boolean isLoopback(String address) {
        return address.equals("127.0.0.1") || address.equalsIgnoreCase("localhost") || address.equals("::1")
                || address.equals("[::1]");
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

    // ---- the memory budget

    /**
     * Takes {@code kib} KiB of the memory budget if they are free now, else returns {@code null}: for a
     * caller that must not wait on the thread it runs on.
     */
    Ticket tryTake(int kib) {
        return budget.tryAcquire(kib) ? release(kib) : null;
    }

    /** Takes {@code kib} KiB of the memory budget, waiting a short while for them; 503 when they do not come. */
    Ticket take(int kib) {
        try {
            if (!budget.tryAcquire(kib, config.limits().budgetWaitMillis(), TimeUnit.MILLISECONDS)) {
                throw busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "interrupted while waiting for memory");
        }
        return release(kib);
    }

    private Ticket release(int kib) {
        AtomicBoolean held = new AtomicBoolean(true);
        return () -> {
            if (held.getAndSet(false)) {
                budget.release(kib);
            }
        };
    }

    /** The refusal of a request the budget has no room for. */
    static HttpError busy() {
        return new HttpError(503, "the server is busy; try again");
    }

    /**
     * Whether the server takes requests: not while it drains, nor while the budget has no room for one
     * more request of the largest size.
     */
    boolean ready() {
        return !draining && budget.availablePermits() >= (3 * config.maxBodyBytes() >> 10);
    }

    // ---- draining

    /** Refuses every request from now on except health checks. */
    void drain() {
        draining = true;
    }

    boolean draining() {
        return draining;
    }

    /** Waits until no request is in flight or the deadline (System.currentTimeMillis) passes. */
    void awaitIdle(long deadline) {
        synchronized (inFlightLock) {
            while (inFlight > 0 && System.currentTimeMillis() < deadline) {
                try {
                    inFlightLock.wait(Math.max(1, deadline - System.currentTimeMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    // ---- connections

    /** Closes a connection as it opens when its address already holds as many as one address may. */
    Connection.Listener perClient() {
        int limit = config.limits().maxConnectionsPerClient();
        Map<InetAddress, Integer> open = new HashMap<>();
        // a closed connection no longer knows its peer: each remembers its own
        Map<Connection, InetAddress> peers = new java.util.IdentityHashMap<>();
        return new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                InetAddress address = address(connection);
                int count;
                synchronized (open) {
                    peers.put(connection, address);
                    count = open.merge(address, 1, Integer::sum);
                }
                if (count > limit) {
                    metrics.connectionRefused();
                    connection.getEndPoint().close();
                }
            }

            @Override
            public void onClosed(Connection connection) {
                synchronized (open) {
                    InetAddress address = peers.remove(connection);
                    if (address != null) {
                        open.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
                    }
                }
            }
        };
    }

    private static InetAddress address(Connection connection) {
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress socket ? socket.getAddress() : InetAddress.getLoopbackAddress();
    }
}
