package dev.alexnet.train;

/**
 * One training step, just done.
 *
 * @param epoch the epoch, from 1
 * @param step the step within the epoch, from 1
 * @param loss the batch's mean loss
 * @param examples the batch's size
 * @param nanos how long the step took, waiting for its batch included
 */
public record StepReport(int epoch, int step, float loss, int examples, long nanos) {}
