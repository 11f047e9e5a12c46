package dev.alexnet.train;

import java.util.List;
import java.util.Map;

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
 * @param costBySize the training FLOPs of one example at each of those sizes and at the input size, so that an
 *     estimate timed at one size can count the steps at another
 */
public record FitPlan(int maxEpochs, int stepsPerEpoch, int trainExamples, int valExamples, int batchSize,
        int inputSize, List<Integer> trainSizes, Map<Integer, Double> costBySize) {

    /** Checks that every epoch has its size, and every size its cost. */
    public FitPlan {
        trainSizes = List.copyOf(trainSizes);
        costBySize = Map.copyOf(costBySize);
        if (trainSizes.size() != maxEpochs) {
            throw new IllegalArgumentException(maxEpochs + " epochs but " + trainSizes.size() + " training sizes");
        }
        for (int size : trainSizes) {
            cost(costBySize, size);
        }
        cost(costBySize, inputSize);
    }

    private static double cost(Map<Integer, Double> costs, int size) {
        Double cost = costs.get(size);
        if (cost == null || !(cost > 0) || cost.isInfinite()) {
            throw new IllegalArgumentException("no positive cost for size " + size + " in " + costs);
        }
        return cost;
    }

    /** Returns how many steps of epoch {@code epoch}'s size one step at size {@code size} costs. */
    public double relativeCost(int size, int epoch) {
        return cost(costBySize, size) / cost(costBySize, trainSizes.get(epoch - 1));
    }

    /**
     * Returns the training steps left after global step {@code step}, each weighted by its size's cost against the
     * cost at epoch {@code epoch}'s size: what the rest of the run costs in steps of that epoch.
     */
    public double weightedStepsAfter(long step, int epoch) {
        double total = 0;
        for (int e = 1; e <= maxEpochs; e++) {
            long first = (long) (e - 1) * stepsPerEpoch;
            long left = Math.max(0, Math.min(stepsPerEpoch, (long) e * stepsPerEpoch - Math.max(first, step)));
            total += left * relativeCost(trainSizes.get(e - 1), epoch);
        }
        return total;
    }
}
