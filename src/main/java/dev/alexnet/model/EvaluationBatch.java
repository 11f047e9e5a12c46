package dev.alexnet.model;


/**
 * The batch size validation runs at: as large as a stated memory budget for activations allows.
 *
 * <p>Validation records no gradient, so a layer's output can go as soon as the next layer has
 * read it: an example needs only its largest input-plus-output pair, a small fraction of what a
 * training step keeps. Larger batches cost fewer engine calls per image.
 */
public final class EvaluationBatch {

    /** The activation memory validation may use: 512 MiB. */
    public static final long BUDGET_BYTES = 512L << 20;

    /** The largest validation batch, whatever the budget allows. */
    public static final int MAX = 1024;

    private EvaluationBatch() {}

    /** Returns the validation batch for {@code config}: within the budget, never below {@code trainingBatch}. */
    public static int size(ModelConfig config, int trainingBatch) {
        long perExample = NetworkAnalysis.of(config, 1).inferenceBytesPerExample();
        long fits = BUDGET_BYTES / Math.max(1, perExample);
        return (int) Math.max(trainingBatch, Math.min(MAX, fits));
    }
}
