package dev.alexnet.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alexnet.predict.Predictor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Dynamic batching for one model: the images of requests that arrive together go through the network
 * as one engine batch of at most {@code maxBatch} images.
 *
 * <p>A batch waits only while more requests are expected, and each time for at most the delay after
 * the last one joined: requests are expected when they are open but not yet queued (being read), or
 * when the clients of the previous batch (its requests, and those that arrived while it ran) have
 * not all come back. A lone client therefore never waits; many clients, answered together, come back
 * together into one full batch instead of splitting into groups that take turns. One thread runs
 * the network, so the model is never used concurrently.
 */
final class Batcher implements AutoCloseable {

    /**
     * Images of one request: {@code count} images of {@code side}×{@code side} pixels, one channel, in
     * [0, 1], row-major.
     */
    record Images(float[] pixels, int count, int channels, int side) {
        Images {
            if ((long) count * channels * side * side != pixels.length) {
                throw new IllegalArgumentException(count + " images of " + channels + "x" + side + "x" + side
                        + " do not hold " + pixels.length + " values");
            }
        }

        /** Grey images. */
        Images(float[] pixels, int count, int side) {
            this(pixels, count, 1, side);
        }
    }

    private record Job(Images images, CompletableFuture<List<List<Predictor.Prediction>>> result) {}

    private final Predictor predictor;
    private final NDManager parent;
    private final int classes;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final IntConsumer batchSizes;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Thread worker;
    private final Object lifecycle = new Object();
    private volatile boolean running = true;
    private int clients = 1;

    /**
     * Starts the batching thread.
     *
     * @param predictor the model's predictor
     * @param parent the manager each batch's arrays are made under (the model's)
     * @param classes how many classes the model has (every prediction lists them all, most probable first)
     * @param maxBatch the most images run at once
     * @param maxDelayMillis the longest a batch waits for the next request to join it
     * @param batchSizes told the size of every batch run
     */
    Batcher(Predictor predictor, NDManager parent, int classes, int maxBatch, long maxDelayMillis,
            IntConsumer batchSizes, String name) {
        this.predictor = predictor;
        this.parent = parent;
        this.classes = classes;
        this.maxBatch = maxBatch;
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMillis);
        this.batchSizes = batchSizes;
        this.worker = new Thread(this::work, "batcher-" + name);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Marks a request as on its way (being read and decoded); close the ticket when it has its answer. */
    InferenceServer.Ticket open() {
        open.incrementAndGet();
        return open::decrementAndGet;
    }

    /** Queues one request's images; the future completes with every class of each image, most probable first. */
    CompletableFuture<List<List<Predictor.Prediction>>> submit(Images images) {
        CompletableFuture<List<List<Predictor.Prediction>>> result = new CompletableFuture<>();
        synchronized (lifecycle) {
            if (!running) {
                result.completeExceptionally(new HttpError(503, "the server is shutting down"));
                return result;
            }
            queue.add(new Job(images, result));
        }
        return result;
    }

    private void work() {
        while (running || !queue.isEmpty()) {
            List<Job> jobs = new ArrayList<>();
            try {
                Job first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                jobs = gather(first);
                run(jobs);
                // the clients of this batch come back now; those that arrived while it ran are waiting
                clients = jobs.size() + queue.size();
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (Throwable e) {
                // even an Error (out of memory) answers the requests it met, and the thread goes on
                jobs.forEach(job -> job.result().completeExceptionally(e));
            }
        }
        Job left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new HttpError(503, "the server is shutting down"));
        }
    }

    private List<Job> gather(Job first) throws InterruptedException {
        List<Job> jobs = new ArrayList<>();
        jobs.add(first);
        int images = first.images().count();
        while (images < maxBatch) {
            Job next = queue.poll();
            if (next == null) {
                // wait while more are expected, each for at most maxDelay after the last one came
                if (jobs.size() >= Math.max(open.get(), clients)) {
                    break;
                }
                next = queue.poll(maxDelayNanos, TimeUnit.NANOSECONDS);
                if (next == null) {
                    break;
                }
            }
            jobs.add(next);
            images += next.images().count();
        }
        return jobs;
    }

    /** Runs the gathered requests, images of one size together, in chunks of at most maxBatch images. */
    private void run(List<Job> jobs) {
        // a request whose client gave up (its wait timed out) is not computed
        jobs = jobs.stream().filter(job -> !job.result().isDone()).toList();
        List<Integer> sides = jobs.stream().map(job -> job.images().side()).distinct().toList();
        for (int side : sides) {
            List<Job> same = jobs.stream().filter(job -> job.images().side() == side).toList();
            try {
                List<List<Predictor.Prediction>> all = new ArrayList<>();
                float[] pixels = concat(same);
                int channels = same.get(0).images().channels();
                int image = channels * side * side;
                int count = pixels.length / image;
                for (int from = 0; from < count; from += maxBatch) {
                    int n = Math.min(maxBatch, count - from);
                    float[] chunk = n == count ? pixels
                            : java.util.Arrays.copyOfRange(pixels, from * image, (from + n) * image);
                    try (NDManager manager = parent.newSubManager()) {
                        NDArray input = manager.create(chunk, new Shape(n, channels, side, side));
                        all.addAll(predictor.top(input, classes));
                    }
                    batchSizes.accept(n);
                }
                int next = 0;
                for (Job job : same) {
                    job.result().complete(List.copyOf(all.subList(next, next + job.images().count())));
                    next += job.images().count();
                }
            } catch (Throwable e) {
                same.forEach(job -> job.result().completeExceptionally(e));
            }
        }
    }

    private static float[] concat(List<Job> jobs) {
        if (jobs.size() == 1) {
            return jobs.get(0).images().pixels();
        }
        int length = jobs.stream().mapToInt(job -> job.images().pixels().length).sum();
        float[] all = new float[length];
        int at = 0;
        for (Job job : jobs) {
            float[] pixels = job.images().pixels();
            System.arraycopy(pixels, 0, all, at, pixels.length);
            at += pixels.length;
        }
        return all;
    }

    /**
     * Finishes the queued requests, then stops the thread; returns whether it stopped (within a
     * minute), so that the model is only closed under a thread that no longer uses it.
     */
    boolean stop() {
        synchronized (lifecycle) {
            running = false;
        }
        try {
            worker.join(TimeUnit.MINUTES.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !worker.isAlive();
    }

    @Override
    public void close() {
        stop();
    }
}
