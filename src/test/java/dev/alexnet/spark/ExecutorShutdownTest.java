package dev.alexnet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alexnet.io.Digests;
import dev.alexnet.weights.ShippedModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor JVM that ends while a task still runs the network: the model is closed only once the task is done
 * with it, so the task neither crashes the process nor finds its network gone.
 */
class ExecutorShutdownTest {

    @TempDir
    Path dir;

    /** A stand-in for an executor: a task predicting in a thread of its own while the JVM is told to exit. */
    public static final class MidTask {
        public static void main(String[] args) throws Exception {
            Path weights = ShippedModel.FILE;
            ExecutorModel.Loaded loaded = ExecutorModel.acquire(weights, Digests.sha256Hex(weights));
            CountDownLatch running = new CountDownLatch(1);
            Thread task = new Thread(() -> {
                try {
                    float[] pixels = new float[64 * 28 * 28];
                    for (int i = 0; i < 40; i++) {
                        try (ai.djl.ndarray.NDManager manager = loaded.model().model().getNDManager().newSubManager()) {
                            loaded.predictor().top(manager.create(pixels, new ai.djl.ndarray.types.Shape(64, 1, 28, 28)), 3);
                        }
                        running.countDown();
                    }
                    System.out.println("task finished");
                } catch (Throwable e) {
                    System.out.println("task failed: " + e);
                } finally {
                    ExecutorModel.release(loaded);
                }
            }, "task");
            task.start();
            running.await();
            // the executor is stopped while the task runs
            System.exit(3);
        }
    }

    @Test
    void theJvmEndingMidTaskClosesTheNetworkOnlyWhenTheTaskIsDone() throws Exception {
        Path output = dir.resolve("out.txt");
        Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), MidTask.class.getName())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean ended = process.waitFor(2, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertTrue(ended, "the JVM did not end: " + text);
        assertEquals(3, process.exitValue(), text); // not 134 (SIGABRT) or 139 (SIGSEGV): no native crash
        assertFalse(text.contains("task failed"), text);
        assertFalse(text.contains("SIGSEGV") || text.contains("hs_err"), text);
        assertTrue(text.contains("task finished"), text);
    }
}
