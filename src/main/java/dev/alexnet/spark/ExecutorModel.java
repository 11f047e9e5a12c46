package dev.alexnet.spark;

import ai.djl.Device;
import dev.alexnet.io.Digests;
import dev.alexnet.model.Classifier;
import dev.alexnet.predict.Predictor;
import dev.alexnet.weights.WeightsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.TaskContext;

/**
 * The network in one executor JVM: loaded from the weights file the first time a task asks for it, shared by
 * every later task and thread of that JVM, and closed (its native memory freed) when the JVM ends — but never
 * under a task still using it.
 *
 * <p>Models are known by the SHA-256 of their weights, which the driver computes once: a different file shipped
 * under the same name is a different model, and a file whose bytes are not the ones the driver hashed is
 * refused. Tasks run the network one at a time: the engine already spreads one batch over the cores.
 */
final class ExecutorModel {

    /** How long the JVM's end waits for tasks still using a model before leaving it to the operating system. */
    private static final long CLOSE_PATIENCE_MILLIS = 10_000;

    /** A loaded network, its predictor, and the tasks using it. */
    static final class Loaded {
        private final Classifier model;
        private final Predictor predictor;
        private final String id;
        private int users;
        private boolean closed;

        private Loaded(Classifier model) {
            this.model = model;
            this.predictor = new Predictor(model);
            this.id = ProcessHandle.current().pid() + ":" + LOADS.incrementAndGet();
        }

        Classifier model() {
            return model;
        }

        Predictor predictor() {
            return predictor;
        }

        /** This load's name, the same in every task that uses it: the process id and the load's number. */
        String id() {
            return id;
        }

        private synchronized boolean use() {
            if (closed) {
                return false;
            }
            users++;
            return true;
        }

        private synchronized void release() {
            users--;
            notifyAll();
        }

        /** Closes the model once no task uses it, waiting for them at most {@code millis}; else leaves it. */
        private synchronized void closeWhenFree(long millis) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (users > 0 && System.nanoTime() < deadline) {
                try {
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (users == 0) {
                closed = true;
                model.close();
            }
        }
    }

    private static final Map<String, Loaded> MODELS = new ConcurrentHashMap<>();
    private static final AtomicLong LOADS = new AtomicLong();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            List<Loaded> all = new ArrayList<>(MODELS.values());
            all.forEach(loaded -> loaded.closeWhenFree(CLOSE_PATIENCE_MILLIS));
        }, "close-models"));
    }

    private ExecutorModel() {}

    /**
     * Returns the network whose weights have the SHA-256 {@code digest}, loading it from {@code weights} if
     * this JVM has not yet, for the task running now: it stays open until the task completes.
     *
     * @throws IllegalStateException if the file's bytes are not those of {@code digest}
     */
    static Loaded use(Path weights, String digest) {
        Loaded loaded = acquire(weights, digest);
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) context -> loaded.release());
        }
        return loaded;
    }

    /** Returns the network of {@code digest}, in use until {@link #release}d (what a task's end does). */
    static Loaded acquire(Path weights, String digest) {
        while (true) {
            Loaded loaded = MODELS.computeIfAbsent(digest, key -> load(weights, key));
            if (loaded.use()) {
                return loaded;
            }
            MODELS.remove(digest, loaded); // closed as the JVM ends: a task that comes after gets its own
        }
    }

    /**
     * Makes {@code model}, already loaded from the weights of {@code digest}, the one tasks of this JVM use: a
     * driver that loaded it for its own reasons (a run directory it exported) does not load it twice on a local
     * master. The model belongs to this class from now on.
     */
    static void adopt(Classifier model, String digest) {
        if (MODELS.putIfAbsent(digest, new Loaded(model)) != null) {
            model.close();
        }
    }

    static void release(Loaded loaded) {
        loaded.release();
    }

    private static Loaded load(Path weights, String digest) {
        String actual;
        try {
            actual = Digests.sha256Hex(weights);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the weights " + weights, e);
        }
        if (!actual.equals(digest)) {
            throw new IllegalStateException("the weights at " + weights + " are not the ones the job was given (SHA-256 "
                    + actual + ", expected " + digest + ")");
        }
        Classifier model = WeightsFile.loadModel(weights, Device.cpu());
        return new Loaded(model);
    }
}
