package dev.alexnet.serve;

/** A request the server refuses: the HTTP status and a one-line reason, sent as {@code {"error": reason}}. */
public final class HttpError extends RuntimeException {

    private final int status;

    /** A refusal with {@code status} (400, 401, 404, 413, 503...) and a one-line {@code reason}. */
    public HttpError(int status, String reason) {
        super(reason);
        this.status = status;
    }

    /** Returns the HTTP status. */
    public int status() {
        return status;
    }

    static HttpError badRequest(String reason) {
        return new HttpError(400, reason);
    }

    static HttpError notFound(String reason) {
        return new HttpError(404, reason);
    }
}
