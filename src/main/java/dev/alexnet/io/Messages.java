package dev.alexnet.io;

/** Error messages as the program prints them: one line each. */
public final class Messages {

    private Messages() {}

    /** Returns the first line of {@code message}, stripped; "no detail" when there is none. */
    public static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "no detail";
        }
        String trimmed = message.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
    }

    /** Returns the first line of {@code e}'s message, or its type's name when it has none. */
    public static String firstLine(Throwable e) {
        return firstLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}
