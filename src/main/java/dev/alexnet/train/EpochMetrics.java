package dev.alexnet.train;

/**
 * What one epoch of training measured.
 *
 * @param epoch the epoch, from 1
 * @param trainLoss mean training loss per example over the epoch
 * @param valLoss mean validation loss per example after the epoch
 * @param valAccuracy validation accuracy after the epoch
 * @param imagesPerSec training images per second of training time (validation excluded)
 * @param seconds wall time of the epoch, validation included
 * @param trainAccuracy accuracy on the training batches during the epoch (with dropout and augmentation on)
 * @param trainSize the side the epoch's training images were resized to (under a resize schedule, not always the
 *     network's input size, at which validation runs); 0 where not recorded
 */
public record EpochMetrics(int epoch, double trainLoss, double valLoss, double valAccuracy, double imagesPerSec,
        double seconds, double trainAccuracy, int trainSize) {

    /** An epoch whose training size is not recorded. */
    public EpochMetrics(int epoch, double trainLoss, double valLoss, double valAccuracy, double imagesPerSec,
            double seconds, double trainAccuracy) {
        this(epoch, trainLoss, valLoss, valAccuracy, imagesPerSec, seconds, trainAccuracy, 0);
    }
}
