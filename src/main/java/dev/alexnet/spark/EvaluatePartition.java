package dev.alexnet.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.dataset.Batch;
import dev.alexnet.data.BatchMaker;
import dev.alexnet.data.IdxImages;
import dev.alexnet.data.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.CollectionAccumulator;

/**
 * What each task of an evaluation runs: its validation images (index, label, 28×28 bytes), whole
 * batches of {@code evaluate}'s (the rows are partitioned by index / batch size), made exactly as
 * {@code evaluate} makes them ({@link BatchMaker}: bytes / 255, resized to the network's input) and
 * scored by the same network and loss; a row per image with its loss and its batch's.
 */
final class EvaluatePartition implements MapPartitionsFunction<Row, EvaluationRow> {

    private static final long serialVersionUID = 1L;

    private final ShippedWeights weights;
    private final int batchSize;
    private final CollectionAccumulator<String> loads;

    /**
     * @param weights the weights the tasks load
     * @param loads told, by each task that finishes, which load of the network it used
     */
    EvaluatePartition(ShippedWeights weights, int batchSize, CollectionAccumulator<String> loads) {
        this.weights = weights;
        this.batchSize = batchSize;
        this.loads = loads;
    }

    @Override
    public Iterator<EvaluationRow> call(Iterator<Row> rows) {
        ExecutorModel.Loaded loaded = weights.use();
        loads.add(loaded.id());
        // the rows of whole batches of evaluate's (index / batchSize), put back in file order
        List<Row> sorted = new ArrayList<>();
        rows.forEachRemaining(sorted::add);
        sorted.sort(java.util.Comparator.comparingInt(row -> row.getInt(0)));
        List<Integer> indices = new ArrayList<>();
        List<byte[]> images = new ArrayList<>();
        List<Byte> labels = new ArrayList<>();
        for (Row row : sorted) {
            indices.add(row.getInt(0));
            labels.add((byte) row.getInt(1));
            images.add((byte[]) row.get(2));
        }
        int count = indices.size();
        int side = (int) Math.round(Math.sqrt(images.isEmpty() ? 784 : images.get(0).length));
        byte[] pixels = new byte[count * side * side];
        byte[] labelBytes = new byte[count];
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(images.get(i), 0, pixels, i * side * side, side * side);
            labelBytes[i] = labels.get(i);
            order[i] = i;
        }
        Split split = new Split("validation", new IdxImages(count, side, side, pixels), labelBytes);
        BatchMaker maker = new BatchMaker(loaded.model().config().inputSize());
        List<EvaluationRow> out = new ArrayList<>();
        for (int from = 0; from < count; ) {
            int batch = indices.get(from) / batchSize;
            int to = from;
            while (to < count && indices.get(to) / batchSize == batch) {
                to++;
            }
            synchronized (loaded) {
                try (Batch made = maker.make(split, order, from, to, loaded.model().model().getNDManager(), 1, 1)) {
                    NDList logits = loaded.model().infer(made.getManager(), made.getData());
                    // the batch's loss exactly as evaluate computes it, and each image's
                    float batchLoss = loaded.model().loss().evaluate(made.getLabels(), logits).getFloat();
                    NDArray logProbabilities = logits.singletonOrThrow().logSoftmax(1);
                    NDArray truth = made.getLabels().singletonOrThrow().toType(ai.djl.ndarray.types.DataType.INT64, false);
                    float[] losses = logProbabilities.neg().gather(truth.reshape(-1, 1), 1).toFloatArray();
                    long[] predicted = logProbabilities.argMax(1).toLongArray();
                    float[] best = logProbabilities.max(new int[] {1}).exp().toFloatArray();
                    long[] trueLabels = truth.toLongArray();
                    for (int i = 0; i < to - from; i++) {
                        out.add(EvaluationRow.of(indices.get(from + i), (int) trueLabels[i], (int) predicted[i], best[i],
                                losses[i], batch, batchLoss));
                    }
                }
            }
            from = to;
        }
        return out.iterator();
    }
}
