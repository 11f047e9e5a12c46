package dev.alexnet.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.alexnet.cli.AlexNetCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The command line in a JVM of its own, for what only a separate process shows (signals, file locks
 * held by another process). Every wait has a deadline, and closing it kills the child if it still runs.
 */
public final class ChildProcess implements AutoCloseable {

    /** Longer than any child here needs on a busy 2-core machine; short of the suite-wide timeout. */
    public static final Duration DEADLINE = Duration.ofMinutes(2);

    private static final String END = new String("end of output");

    private final Process process;
    private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
    private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private ChildProcess(Process process) {
        this.process = process;
        // a thread of its own reads standard output, so that a test waits for lines with a deadline
        this.reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                    unread.add(line);
                }
            } catch (IOException e) {
                // the child was killed: its output ends here
            } finally {
                unread.add(END);
            }
        }, "child-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code bin/alexnet args} in a new JVM on this test's class path, with {@code jvmOptions};
     * its standard error goes to {@code stderr}, or into standard output when {@code null}.
     */
    public static ChildProcess start(List<String> jvmOptions, List<String> args, Path stderr) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                AlexNetCommand.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (stderr == null) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(stderr.toFile());
        }
        try {
            return new ChildProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** Returns the first line not yet read that {@code wanted} accepts; fails at the deadline or the output's end. */
    public String awaitLine(Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            String line = unread.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line == null) {
                fail("no such line within " + DEADLINE + "; printed: " + lines);
            }
            if (line == END) {
                unread.add(END);
                fail("the output ended without such a line: " + lines);
            }
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    /** Waits for the child to exit and its output to end; fails at the deadline. Returns the exit code. */
    public int awaitExit() throws InterruptedException {
        assertTrue(process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
                "the child did not exit within " + DEADLINE + "; printed: " + lines);
        reader.join(DEADLINE.toMillis());
        return process.exitValue();
    }

    /** Everything the child printed on standard output so far, a line each. */
    public String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** Asks the child to stop as Ctrl-C would (SIGINT). */
    public void interrupt() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
        assertTrue(kill.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS), "kill -INT returned");
    }

    /** Asks the child to stop (SIGTERM). */
    public void terminate() {
        process.destroy();
    }

    /** Kills the child if it still runs. */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }
}
