package dev.alexnet.serve;

import dev.alexnet.io.Messages;
import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.Part;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.server.MultiPartFormInputStream;

/**
 * Request bodies, read as their bytes arrive without holding a thread while a client is slow, and counted
 * against the memory budget as they arrive (three bytes of budget for each byte held: the body, and what it
 * is parsed into), never from the length a client declares.
 *
 * <p>A body is refused with 413 once it grows past the limit, with 408 when it arrives slower than the
 * minimum rate (Jetty's own check, from the first byte) or takes longer than the body deadline in all,
 * and with 503 and {@code Retry-After} when the budget has no room for it within a short wait.
 */
final class Bodies {

    /** What one read takes at a time, and what a body holds of the budget before its first byte. */
    private static final int CHUNK = 16 * 1024;

    /** The most parts a multipart body may have. */
    private static final int MAX_PARTS = 100;

    /** How often a body waiting for budget tries again. */
    private static final long RETRY_MILLIS = 20;

    /** A body read whole, holding its part of the budget until closed. */
    record Body(byte[] bytes, String contentType, Ticket ticket) implements AutoCloseable {
        @Override
        public void close() {
            ticket.close();
        }
    }

    private final ServeConfig config;
    private final Admission admission;
    private final ScheduledExecutorService timer;

    Bodies(ServeConfig config, Admission admission, ScheduledExecutorService timer) {
        this.config = config;
        this.admission = admission;
        this.timer = timer;
    }

    /**
     * Starts reading the body of a request whose handler has gone asynchronous ({@code ctx.future}); the
     * future completes with it, or with the refusal.
     */
    CompletableFuture<Body> read(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > config.maxBodyBytes()) {
            throw tooLarge();
        }
        Reader reader = new Reader(ctx.contentType());
        try {
            reader.start(ctx.req().getInputStream());
        } catch (IOException e) {
            reader.fail(HttpError.badRequest("the body could not be read (" + Messages.firstLine(e.getMessage()) + ")"));
        }
        return reader.result;
    }

    /** Returns the picture of a body: the multipart field {@code data} (or {@code body}), else the raw body. */
    byte[] picture(Body body) {
        byte[] picture = isMultipart(body.contentType()) ? part(body) : body.bytes();
        if (picture.length == 0) {
            throw HttpError.badRequest("no picture: send the image file as the body or as multipart field 'data'");
        }
        return picture;
    }

    private static boolean isMultipart(String type) {
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /** Parses a multipart body held in memory with Jetty's parser; its parts stay in memory (the body's size). */
    private byte[] part(Body body) {
        int max = (int) config.maxBodyBytes();
        MultipartConfigElement limits = new MultipartConfigElement(null, max, max, max + 1);
        MultiPartFormInputStream parts = new MultiPartFormInputStream(new ByteArrayInputStream(body.bytes()),
                body.contentType(), limits, new File(System.getProperty("java.io.tmpdir")), MAX_PARTS);
        try {
            Part part = parts.getPart("data");
            if (part == null) {
                part = parts.getPart("body");
            }
            if (part == null) {
                throw HttpError.badRequest("the multipart body has no field 'data'");
            }
            try (InputStream in = part.getInputStream()) {
                return in.readAllBytes();
            }
        } catch (IOException | IllegalStateException e) {
            if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("exceed")) {
                throw tooLarge();
            }
            throw HttpError.badRequest("bad multipart body (" + Messages.firstLine(e.getMessage()) + ")");
        } finally {
            parts.deleteParts();
        }
    }

    private HttpError tooLarge() {
        return new HttpError(413, "the body is larger than the limit of " + config.maxBodyBytes() + " bytes");
    }

    /** Reads one body as Jetty says bytes are ready; never blocks. */
    private final class Reader implements ReadListener {
        private final CompletableFuture<Body> result = new CompletableFuture<>();
        private final String contentType;
        private final byte[] chunk = new byte[CHUNK];
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(CHUNK);
        private final List<Ticket> held = new ArrayList<>();
        private ServletInputStream in;
        private long received;
        private long heldKib;
        private long waitingSince = -1;
        private ScheduledFuture<?> deadline;

        Reader(String contentType) {
            this.contentType = contentType;
        }

        synchronized void start(ServletInputStream in) {
            this.in = in;
            long millis = config.limits().bodyMillis();
            deadline = timer.schedule(() -> fail(new HttpError(408, "the body did not arrive within "
                    + millis / 1000.0 + " s")), millis, TimeUnit.MILLISECONDS);
            in.setReadListener(this);
        }

        @Override
        public synchronized void onDataAvailable() {
            pump();
        }

        private synchronized void pump() {
            if (result.isDone()) {
                return;
            }
            try {
                while (in.isReady()) {
                    if (!room()) {
                        return;
                    }
                    int n = in.read(chunk);
                    if (n < 0) {
                        return;
                    }
                    received += n;
                    if (received > config.maxBodyBytes()) {
                        fail(tooLarge());
                        return;
                    }
                    out.write(chunk, 0, n);
                }
            } catch (IOException | RuntimeException e) {
                onError(e);
            }
        }

        /**
         * Holds budget for one more chunk; when there is none, tries again a little later (reading pauses, so
         * the client waits), and after the wait the budget allows, refuses the body.
         */
        private boolean room() {
            long needed = (3 * (received + CHUNK) + 1023) / 1024;
            if (needed <= heldKib) {
                return true;
            }
            Ticket more = admission.tryTake((int) (needed - heldKib));
            if (more != null) {
                held.add(more);
                heldKib = needed;
                waitingSince = -1;
                return true;
            }
            long now = System.nanoTime();
            if (waitingSince < 0) {
                waitingSince = now;
            }
            if (now - waitingSince > TimeUnit.MILLISECONDS.toNanos(config.limits().budgetWaitMillis())) {
                fail(Admission.busy());
            } else {
                timer.schedule(this::pump, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
            return false;
        }

        @Override
        public synchronized void onAllDataRead() {
            if (result.isDone()) {
                return;
            }
            deadline.cancel(false);
            List<Ticket> tickets = List.copyOf(held);
            Body body = new Body(out.toByteArray(), contentType, () -> tickets.forEach(Ticket::close));
            if (!result.complete(body)) {
                body.close();
            }
        }

        @Override
        public void onError(Throwable failure) {
            Throwable cause = failure;
            while (cause.getCause() != null && !(cause instanceof BadMessageException)) {
                cause = cause.getCause();
            }
            if (cause instanceof BadMessageException bad && bad.getCode() == 408) {
                fail(new HttpError(408, "the body arrives slower than " + config.limits().minBodyBytesPerSecond()
                        + " bytes a second"));
            } else if (cause instanceof java.util.concurrent.TimeoutException) {
                fail(new HttpError(408, "the body stopped arriving"));
            } else {
                fail(HttpError.badRequest("the body could not be read (" + Messages.firstLine(failure.getMessage()) + ")"));
            }
        }

        synchronized void fail(HttpError refusal) {
            if (result.completeExceptionally(refusal)) {
                if (deadline != null) {
                    deadline.cancel(false);
                }
                held.forEach(Ticket::close);
            }
        }
    }
}
