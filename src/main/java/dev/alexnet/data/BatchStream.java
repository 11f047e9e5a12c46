package dev.alexnet.data;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * One pass over a split in batches, each gathered on a background thread while the caller uses the
 * previous one, and finished on the engine by the caller's thread when it takes it.
 *
 * <p>The caller closes every batch it takes; closing the stream cancels the gathering of the next
 * one, which holds only Java memory.
 */
public final class BatchStream implements Iterator<Batch>, AutoCloseable {

    private final BatchMaker maker;
    private final Split split;
    private final int[] order;
    private final int batchSize;
    private final NDManager manager;
    private final ExecutorService prefetcher;
    private final int batchCount;
    private final Augmentation augmentation;
    private final long augmentSeed;
    private int nextIndex;
    private Future<BatchMaker.Gathered> pending;

    BatchStream(BatchMaker maker, Split split, int[] order, int batchSize, int firstBatch, NDManager manager,
            ExecutorService prefetcher, Augmentation augmentation, long augmentSeed) {
        this.augmentation = augmentation;
        this.augmentSeed = augmentSeed;
        this.maker = maker;
        this.split = split;
        this.order = order;
        this.batchSize = batchSize;
        this.manager = manager;
        this.prefetcher = prefetcher;
        this.batchCount = (int) ((order.length + (long) batchSize - 1) / batchSize);
        this.nextIndex = firstBatch;
        schedule();
    }

    /** Returns how many batches this pass yields in all. */
    public int batchCount() {
        return batchCount;
    }

    @Override
    public boolean hasNext() {
        return pending != null;
    }

    @Override
    public Batch next() {
        if (pending == null) {
            throw new NoSuchElementException();
        }
        BatchMaker.Gathered gathered = await(pending);
        long index = nextIndex - 1; // the batch pending is always the last one scheduled
        pending = null;
        schedule();
        return maker.finish(gathered, manager, index + 1L, batchCount);
    }

    private void schedule() {
        if (nextIndex >= batchCount) {
            return;
        }
        int index = nextIndex++;
        int from = index * batchSize;
        int to = Math.min(from + batchSize, order.length);
        long seed = augmentSeed + index;
        pending = prefetcher.submit(() -> maker.gather(split, order, from, to, augmentation, seed));
    }

    private static BatchMaker.Gathered await(Future<BatchMaker.Gathered> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("preparing a batch failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        if (pending != null) {
            // a gathered batch holds only Java memory: nothing to free on the engine
            pending.cancel(true);
            pending = null;
        }
    }
}
