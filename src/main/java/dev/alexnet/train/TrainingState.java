package dev.alexnet.train;

import java.util.List;

/**
 * Where a run is: enough, with the parameters, to continue it exactly as if it had never stopped.
 *
 * <p>The data order of an epoch and the dropout of a step are functions of the seed and their
 * numbers, so the position ({@code epochsDone}, {@code stepInEpoch}, {@code globalStep}) is the
 * whole random state. The running sums are those of the unfinished epoch, so that its metrics come
 * out the same.
 *
 * @param epochsDone epochs finished, validation included
 * @param stepInEpoch steps done in the unfinished epoch (equal to the steps per epoch when only its
 *     validation is left)
 * @param globalStep steps done in the whole run
 * @param lossSum sum of loss × batch size over the unfinished epoch
 * @param examples examples trained on in the unfinished epoch
 * @param trainNanos training time of the unfinished epoch
 * @param pointLossSum sum of loss × batch size since the last train-loss point
 * @param pointExamples examples since the last train-loss point
 * @param correct training examples classified right in the unfinished epoch
 * @param history metrics of the finished epochs
 * @param trainPoints the train-loss curve so far
 */
public record TrainingState(
        int epochsDone,
        int stepInEpoch,
        long globalStep,
        double lossSum,
        long examples,
        long trainNanos,
        double pointLossSum,
        long pointExamples,
        long correct,
        List<EpochMetrics> history,
        List<TrainLossPoint> trainPoints) {

    public TrainingState {
        history = List.copyOf(history);
        trainPoints = List.copyOf(trainPoints);
    }

    /** Returns the state of a run that has not started. */
    public static TrainingState start() {
        return epochEnd(0, 0, List.of(), List.of());
    }

    /**
     * Returns the state right after epoch {@code epochsDone} and its validation: no unfinished
     * epoch, so no running sums.
     */
    public static TrainingState epochEnd(int epochsDone, long globalStep, List<EpochMetrics> history,
            List<TrainLossPoint> trainPoints) {
        return new TrainingState(epochsDone, 0, globalStep, 0, 0, 0, 0, 0, 0, history, trainPoints);
    }

    /** Returns the best validation accuracy so far, or -1 before the first epoch ends. */
    public double bestValAccuracy() {
        return history.stream().mapToDouble(EpochMetrics::valAccuracy).max().orElse(-1);
    }

    /** Returns the validation accuracy of the last finished epoch, or -1 before the first ends. */
    public double lastValAccuracy() {
        return history.isEmpty() ? -1 : history.get(history.size() - 1).valAccuracy();
    }
}
