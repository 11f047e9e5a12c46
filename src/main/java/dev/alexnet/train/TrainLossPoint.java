package dev.alexnet.train;

/**
 * A point of the training-loss curve: the mean loss over part of an epoch, placed at the epoch
 * fraction where that part ends (the book plots two per epoch: at x.5 and x+1).
 *
 * @param x the position in epochs, e.g. 0.5 for the middle of the first epoch
 * @param trainLoss the mean training loss per example over that part
 */
public record TrainLossPoint(double x, double trainLoss) {}
