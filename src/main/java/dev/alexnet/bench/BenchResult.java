package dev.alexnet.bench;

import java.util.List;

/**
 * What one batch size measured. Rates are medians over the timed steps.
 *
 * @param batchSize examples per step
 * @param engineImagesPerSec training steps on tensors already in memory
 * @param pipelineImagesPerSec the same steps fed by the real data path
 * @param pipelineRatio pipeline / engine
 * @param gflops achieved GFLOP/s of the engine steps, from the analysis's training FLOPs
 * @param limitRatio achieved / the machine's float32 ceiling measured in the same run (the best of several kernels)
 * @param engineStepSeconds median, min and max seconds of an engine step
 * @param pipelineStepSeconds median, min and max seconds of a pipeline step (waiting for data included)
 * @param peakRssBytes peak resident memory of the process during this batch size's steps
 * @param engineMemoryBytes memory the engine reports, or {@code null} where it reports none (CPU)
 * @param learningRate learning rate of the accuracy run, or {@code null} without one
 * @param valAccuracy validation accuracy of the accuracy run, or {@code null} without one
 * @param evalImagesPerSec inference (validation) on tensors in memory: forward only, no gradient recorded
 */
public record BenchResult(int batchSize, double engineImagesPerSec, double pipelineImagesPerSec, double pipelineRatio,
        double gflops, double limitRatio, Spread engineStepSeconds, Spread pipelineStepSeconds, long peakRssBytes,
        Long engineMemoryBytes, Float learningRate, Double valAccuracy, double evalImagesPerSec) {

    /**
     * Median, smallest and largest of some measurements.
     *
     * @param median the median
     * @param min the smallest
     * @param max the largest
     */
    public record Spread(double median, double min, double max) {

        /** Summarizes {@code values}. */
        public static Spread of(List<Double> values) {
            List<Double> sorted = values.stream().sorted().toList();
            int n = sorted.size();
            double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            return new Spread(median, sorted.get(0), sorted.get(n - 1));
        }
    }

    /**
     * Returns the result of the speed measurements at {@code batchSize}, derived from the step
     * times: rates are batch size over median step time, GFLOP/s from {@code trainFlopsPerImage}
     * and the limit ratio against {@code ceilingGflops}; no accuracy run, no engine memory (CPU).
     */
    public static BenchResult measured(int batchSize, Spread engineSeconds, Spread pipelineSeconds,
            Spread inferenceSeconds, double trainFlopsPerImage, double ceilingGflops, long peakRssBytes) {
        double engineRate = batchSize / engineSeconds.median();
        double pipelineRate = batchSize / pipelineSeconds.median();
        double gflops = engineRate * trainFlopsPerImage / 1e9;
        return new BenchResult(batchSize, engineRate, pipelineRate, pipelineRate / engineRate, gflops,
                gflops / ceilingGflops, engineSeconds, pipelineSeconds, peakRssBytes, null, null, null,
                batchSize / inferenceSeconds.median());
    }

    /** Returns this result with its limit ratio against {@code ceilingGflops}. */
    public BenchResult withCeiling(double ceilingGflops) {
        return new BenchResult(batchSize, engineImagesPerSec, pipelineImagesPerSec, pipelineRatio, gflops,
                gflops / ceilingGflops, engineStepSeconds, pipelineStepSeconds, peakRssBytes, engineMemoryBytes,
                learningRate, valAccuracy, evalImagesPerSec);
    }

    /** Returns this result with an accuracy run's learning rate and validation accuracy. */
    public BenchResult withAccuracy(float rate, double accuracy) {
        return new BenchResult(batchSize, engineImagesPerSec, pipelineImagesPerSec, pipelineRatio, gflops, limitRatio,
                engineStepSeconds, pipelineStepSeconds, peakRssBytes, engineMemoryBytes, rate, accuracy,
                evalImagesPerSec);
    }
}
