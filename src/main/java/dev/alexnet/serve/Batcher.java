package dev.alexnet.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.alexnet.predict.Predictor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
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

    /** One request: its images, its answer, and how many of its images batches have taken so far. */
    private static final class Job {
        final Images images;
        final CompletableFuture<List<List<Predictor.Prediction>>> result;
        final List<List<Predictor.Prediction>> answers = new ArrayList<>();
        int taken;

        Job(Images images, CompletableFuture<List<List<Predictor.Prediction>>> result) {
            this.images = images;
            this.result = result;
        }

        int left() {
            return images.count() - taken;
        }

        boolean joins(Job other) {
            return images.side() == other.images.side() && images.channels() == other.images.channels();
        }
    }

    /** The images {@code from} to {@code from + count} of a job, in one batch. */
    private record Slice(Job job, int from, int count) {}

    private final Predictor predictor;
    private final NDManager parent;
    private final int classes;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final IntConsumer batchSizes;
    private final BlockingDeque<Job> queue = new LinkedBlockingDeque<>();
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
    Ticket open() {
        open.incrementAndGet();
        return open::decrementAndGet;
    }

    /** Queues one request's images; the future completes with every class of each image, most probable first. */
    CompletableFuture<List<List<Predictor.Prediction>>> submit(Images images) {
        CompletableFuture<List<List<Predictor.Prediction>>> result = new CompletableFuture<>();
        if (images.count() == 0) {
            result.complete(List.of());
            return result;
        }
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
            List<Slice> batch = new ArrayList<>();
            try {
                Job first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch = gather(first);
                run(batch);
                // a request with images left goes behind those that came while this batch ran, so a big
                // request holds a small one back by one batch at most
                List<Job> jobs = batch.stream().map(Slice::job).distinct().toList();
                jobs.stream().filter(job -> job.left() > 0 && !job.result.isDone()).forEach(queue::add);
                // the clients of this batch come back now; those that arrived while it ran are waiting
                clients = jobs.size() + queue.size();
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (Throwable e) {
                // even an Error (out of memory) answers the requests it met, and the thread goes on
                batch.forEach(slice -> slice.job().result.completeExceptionally(e));
            }
        }
        Job left;
        while ((left = queue.poll()) != null) {
            left.result.completeExceptionally(new HttpError(503, "the server is shutting down"));
        }
    }

    /**
     * Takes up to {@code maxBatch} images of one size for the next batch, from {@code first} and the requests
     * behind it, a part of a request when it has more than the batch has room for.
     */
    private List<Slice> gather(Job first) throws InterruptedException {
        List<Slice> batch = new ArrayList<>();
        int images = take(first, batch, 0);
        int jobs = 1;
        while (images < maxBatch) {
            Job next = queue.poll();
            if (next == null) {
                // wait while more are expected, each for at most maxDelay after the last one came
                if (jobs >= Math.max(open.get(), clients)) {
                    break;
                }
                next = queue.poll(maxDelayNanos, TimeUnit.NANOSECONDS);
                if (next == null) {
                    break;
                }
            }
            if (!next.joins(first)) {
                // images of another size wait for the next batch, first in line
                queue.addFirst(next);
                break;
            }
            images = take(next, batch, images);
            jobs++;
        }
        return batch;
    }

    private int take(Job job, List<Slice> batch, int images) {
        int count = Math.min(job.left(), maxBatch - images);
        batch.add(new Slice(job, job.taken, count));
        job.taken += count;
        return images + count;
    }

    /** Runs one batch and hands each request its answers, completing those that have all of theirs. */
    private void run(List<Slice> batch) {
        // a request whose client gave up (its wait timed out) is not computed
        List<Slice> live = batch.stream().filter(slice -> !slice.job().result.isDone()).toList();
        if (live.isEmpty()) {
            return;
        }
        Images shape = live.get(0).job().images;
        int image = shape.channels() * shape.side() * shape.side();
        int n = live.stream().mapToInt(Slice::count).sum();
        float[] pixels = new float[n * image];
        int at = 0;
        for (Slice slice : live) {
            System.arraycopy(slice.job().images.pixels(), slice.from() * image, pixels, at * image, slice.count() * image);
            at += slice.count();
        }
        List<List<Predictor.Prediction>> all;
        try (NDManager manager = parent.newSubManager()) {
            NDArray input = manager.create(pixels, new Shape(n, shape.channels(), shape.side(), shape.side()));
            all = predictor.top(input, classes);
        }
        batchSizes.accept(n);
        int next = 0;
        for (Slice slice : live) {
            Job job = slice.job();
            job.answers.addAll(all.subList(next, next + slice.count()));
            next += slice.count();
            if (job.answers.size() == job.images.count()) {
                job.result.complete(List.copyOf(job.answers));
            }
        }
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
