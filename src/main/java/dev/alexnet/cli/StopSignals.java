package dev.alexnet.cli;

import java.io.PrintWriter;
import sun.misc.Signal;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into a polite stop request: a run finishes its step,
 * checkpoints and exits 130; a server finishes the requests in flight and exits 0. A second signal quits at once; the last checkpoint is intact anyway,
 * because checkpoints are written atomically.
 */
final class StopSignals {

    private static volatile Runnable current;
    private static volatile boolean requested;

    private StopSignals() {}

    /** Sends the next SIGINT or SIGTERM to {@code stop}, with a note on {@code err}. */
    static void onStop(Runnable stop, PrintWriter err) {
        onStop(stop, err, "stopping after the current step to write a checkpoint (press Ctrl-C again to quit at once)");
    }

    /** Sends the next SIGINT or SIGTERM to {@code stop}, saying {@code note} on {@code err}. */
    static void onStop(Runnable stop, PrintWriter err, String note) {
        current = stop;
        requested = false;
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    Runnable action = current;
                    if (action == null || requested) {
                        Runtime.getRuntime().halt(128 + signal.getNumber());
                    }
                    requested = true;
                    err.println();
                    err.println(note);
                    err.flush();
                    action.run();
                });
            } catch (IllegalArgumentException e) {
                // the JVM reserves this signal here (e.g. with -Xrs): training simply cannot be stopped politely
            }
        }
    }

    /** Forgets the run; a later signal quits at once. */
    static void clear() {
        current = null;
    }
}
