package dev.alexnet.train;

/**
 * The shape of a training run, known before its first step.
 *
 * @param maxEpochs epochs to train
 * @param stepsPerEpoch training batches per epoch
 * @param trainExamples training examples per epoch
 * @param valExamples validation examples scored after each epoch
 * @param batchSize examples per batch
 */
public record FitPlan(int maxEpochs, int stepsPerEpoch, int trainExamples, int valExamples, int batchSize) {}
