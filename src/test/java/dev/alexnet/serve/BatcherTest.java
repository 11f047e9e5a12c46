package dev.alexnet.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.model.Classifier;
import dev.alexnet.predict.Predictor;
import dev.alexnet.weights.ShippedModel;
import dev.alexnet.weights.WeightsFile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dynamic batching: requests on their way share one engine batch, and each gets its own answer back. */
class BatcherTest {

    private static Classifier model;

    @BeforeAll
    static void load() {
        model = WeightsFile.loadModel(ShippedModel.FILE, Device.cpu());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static float[] image(long seed) {
        Random random = new Random(seed);
        float[] pixels = new float[28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        return pixels;
    }

    @Test
    void requestsOnTheirWayShareOneBatchAndEachGetsItsOwnAnswer() throws Exception {
        List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        Predictor predictor = new Predictor(model, FashionMnist.CLASS_NAMES);
        List<List<Predictor.Prediction>> alone = new ArrayList<>();
        try (Batcher single = new Batcher(predictor, model.model().getNDManager(), 10, 32, 0, size -> { }, "single")) {
            for (int i = 0; i < 8; i++) {
                alone.add(single.submit(new Batcher.Images(image(i), 1, 28)).get().get(0));
            }
        }
        // eight requests announced before the first is queued: the batcher waits (up to a minute) for all of them
        try (Batcher batcher = new Batcher(predictor, model.model().getNDManager(), 10, 32, 60_000, batches::add, "t")) {
            List<AutoCloseable> tickets = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                tickets.add(batcher.open());
            }
            List<CompletableFuture<List<List<Predictor.Prediction>>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(batcher.submit(new Batcher.Images(image(i), 1, 28)));
            }
            for (int i = 0; i < 8; i++) {
                List<Predictor.Prediction> batched = answers.get(i).get().get(0);
                assertEquals(10, batched.size());
                for (int c = 0; c < 10; c++) {
                    assertEquals(alone.get(i).get(c).label(), batched.get(c).label(), "image " + i);
                    assertEquals(alone.get(i).get(c).probability(), batched.get(c).probability(), 1e-5, "image " + i);
                }
            }
            for (AutoCloseable ticket : tickets) {
                ticket.close();
            }
        }
        assertEquals(List.of(8), batches);
    }

    @Test
    void aRequestLargerThanTheBatchLimitRunsInChunks() throws Exception {
        List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        Predictor predictor = new Predictor(model, FashionMnist.CLASS_NAMES);
        float[] pixels = new float[70 * 28 * 28];
        for (int i = 0; i < 70; i++) {
            System.arraycopy(image(i), 0, pixels, i * 784, 784);
        }
        try (Batcher batcher = new Batcher(predictor, model.model().getNDManager(), 10, 32, 0, batches::add, "chunks")) {
            List<List<Predictor.Prediction>> answer = batcher.submit(new Batcher.Images(pixels, 70, 28)).get();
            assertEquals(70, answer.size());
            List<Predictor.Prediction> last = batcher.submit(new Batcher.Images(image(69), 1, 28)).get().get(0);
            assertEquals(last.get(0).label(), answer.get(69).get(0).label());
            assertEquals(last.get(0).probability(), answer.get(69).get(0).probability(), 1e-5);
        }
        assertEquals(List.of(32, 32, 6, 1), batches);
    }

    @Test
    void aBigRequestHoldsASmallOneBackByOneBatchAtMost() throws Exception {
        List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        Predictor predictor = new Predictor(model, FashionMnist.CLASS_NAMES);
        float[] pixels = new float[256 * 28 * 28];
        for (int i = 0; i < 256; i++) {
            System.arraycopy(image(i), 0, pixels, i * 784, 784);
        }
        try (Batcher batcher = new Batcher(predictor, model.model().getNDManager(), 10, 32, 0, batches::add, "fair")) {
            CompletableFuture<List<List<Predictor.Prediction>>> big = batcher.submit(new Batcher.Images(pixels, 256, 28));
            CompletableFuture<List<List<Predictor.Prediction>>> small = batcher.submit(new Batcher.Images(image(999), 1, 28));
            // counted on the batcher's thread as the small request is answered, before it runs another batch
            CompletableFuture<Integer> batchesBeforeSmall = small.thenApply(answer -> batches.size());
            // the big one needs eight batches: the small one is answered in the second or third (if it came late)
            assertTrue(batchesBeforeSmall.get() <= 3, "the small request waited for " + batchesBeforeSmall.get()
                    + " batches: " + batches);
            List<List<Predictor.Prediction>> answer = big.get();
            assertEquals(256, answer.size());
            // its images were answered in order, whatever batches they went through
            for (int i : new int[] {0, 31, 32, 100, 255}) {
                List<Predictor.Prediction> alone = batcher.submit(new Batcher.Images(image(i), 1, 28)).get().get(0);
                assertEquals(alone.get(0).label(), answer.get(i).get(0).label(), "image " + i);
                assertEquals(alone.get(0).probability(), answer.get(i).get(0).probability(), 1e-5, "image " + i);
            }
        }
        assertEquals(256 + 1 + 5, batches.stream().mapToInt(Integer::intValue).sum());
    }
}
