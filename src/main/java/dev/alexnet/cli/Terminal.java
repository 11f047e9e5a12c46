package dev.alexnet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tells whether standard error is a terminal, where a progress bar may redraw itself. */
final class Terminal {

    private Terminal() {}

    /** Returns whether file descriptor 2 is a terminal (Linux: it links to a tty device). */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // no /proc: only a console on both ends is taken for a terminal
            return System.console() != null && System.getenv("TERM") != null;
        }
    }
}
