package dev.alexnet.model;

import ai.djl.engine.Engine;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Keeps PyTorch's native log lines off standard error unless asked for.
 *
 * <p>The engine's own calls make PyTorch print lines a user cannot act on ("AutoNonVariableTypeMode is
 * deprecated", and on CPUs without NNPACK support "Could not initialize NNPACK! Reason: Unsupported
 * hardware", once per thread). PyTorch reads its C++ log level from {@value #LEVEL_VARIABLE} only when
 * Python starts it, so this class sets the same flag ({@code FLAGS_caffe2_log_level} in libc10) itself:
 * ERROR by default, or whatever {@value #LEVEL_VARIABLE} says ({@code INFO}, {@code WARNING}, {@code ERROR},
 * {@code FATAL} or 0 to 3). Errors still print.
 */
public final class NativeLog {

    /** The environment variable that sets the native log level; {@code WARNING} shows the hidden lines. */
    public static final String LEVEL_VARIABLE = "TORCH_CPP_LOG_LEVEL";

    private static final int ERROR = 2;
    private static boolean applied;

    private NativeLog() {
    }

    /** Loads the engine if needed and sets its native log level; later calls do nothing. */
    public static synchronized void apply() {
        if (applied) {
            return;
        }
        applied = true;
        try {
            Engine.getInstance();
        } catch (RuntimeException | LinkageError e) {
            return; // the engine's own error comes, in one line, where it is used
        }
        Path library = loadedLibrary("libc10.so");
        if (library == null) {
            return;
        }
        try {
            NativeLibrary.getInstance(library.toString())
                    .getGlobalVariableAddress("FLAGS_caffe2_log_level")
                    .setInt(0, level(System.getenv(LEVEL_VARIABLE)));
        } catch (LinkageError | RuntimeException e) {
            // A build of the engine without the flag: its messages stay, nothing else changes.
        }
    }

    /** Returns the level a {@value #LEVEL_VARIABLE} value names, as PyTorch reads it; ERROR when unset or unknown. */
    static int level(String value) {
        if (value == null) {
            return ERROR;
        }
        switch (value.trim().toUpperCase(Locale.ROOT)) {
            case "0": case "INFO": return 0;
            case "1": case "WARNING": return 1;
            case "3": case "FATAL": return 3;
            default: return ERROR;
        }
    }

    /** Returns the path this process has mapped for a shared library of that file name, or null. */
    private static Path loadedLibrary(String fileName) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0 && line.endsWith("/" + fileName)) {
                    return Path.of(line.substring(slash));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc is not mounted: nothing to do.
        }
        return null;
    }
}
