package dev.alexnet.train;

import java.util.List;

/**
 * The shape of a training run, known before its first step.
 *
 * @param maxEpochs epochs to train
 * @param stepsPerEpoch training batches per epoch
 * @param trainExamples training examples per epoch
 * @param valExamples validation examples scored after each epoch
 * @param batchSize examples per batch
 * @param inputSize the network's input size, at which it is validated (and trained, without a resize schedule)
 * @param trainSizes the size each epoch trains at, epoch 1 first
 */
public record FitPlan(int maxEpochs, int stepsPerEpoch, int trainExamples, int valExamples, int batchSize,
        int inputSize, List<Integer> trainSizes) {

    /** Checks that every epoch has its size. */
    public FitPlan {
        trainSizes = List.copyOf(trainSizes);
        if (trainSizes.size() != maxEpochs) {
            throw new IllegalArgumentException(maxEpochs + " epochs but " + trainSizes.size() + " training sizes");
        }
    }

    /**
     * Returns the training steps left after global step {@code step}, each weighted by its epoch's pixels against
     * those of epoch {@code epoch}: what the rest of the run costs in steps of that epoch.
     */
    public double weightedStepsAfter(long step, int epoch) {
        double reference = Math.pow(trainSizes.get(epoch - 1), 2);
        double total = 0;
        for (int e = 1; e <= maxEpochs; e++) {
            long first = (long) (e - 1) * stepsPerEpoch;
            long left = Math.max(0, Math.min(stepsPerEpoch, (long) e * stepsPerEpoch - Math.max(first, step)));
            total += left * Math.pow(trainSizes.get(e - 1), 2) / reference;
        }
        return total;
    }
}
