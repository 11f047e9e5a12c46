package dev.alexnet.data;

/** A data file is missing, unreadable or not what it claims to be; the message is one line naming it. */
public final class DataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
