package dev.alexnet.model;


/**
 * The batch size inference runs at (validation, {@code evaluate}, {@code predict}, {@code
 * batch-predict}): as large as a stated memory budget for activations allows, up to the size past
 * which larger batches stopped paying.
 *
 * <p>Inference records no gradient, so a layer's output can go as soon as the next layer has
 * read it: an example needs only its largest input-plus-output pair, a small fraction of what a
 * training step keeps. Larger batches cost fewer engine calls per image, up to a point: on a
 * 2-core AMD EPYC, alexnet28 (channels-last) ran 2,065 images/s in batches of 32, 3,200 at 128,
 * 3,687 at 256 and 3,296 at 512; alexnet at 224 ran 95 images/s from 32 to 256 alike.
 */
public final class EvaluationBatch {

    /** The activation memory validation may use: 512 MiB. */
    public static final long BUDGET_BYTES = 512L << 20;

    /** The largest inference batch, whatever the budget allows. */
    public static final int MAX = 256;

    private EvaluationBatch() {}

    /** Returns the validation batch for {@code config}: within the budget, never below {@code trainingBatch}. */
    public static int size(ModelConfig config, int trainingBatch) {
        long perExample = NetworkAnalysis.of(config, 1).inferenceBytesPerExample();
        long fits = BUDGET_BYTES / Math.max(1, perExample);
        return (int) Math.max(trainingBatch, Math.min(MAX, fits));
    }
}
