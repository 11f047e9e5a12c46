package dev.alexnet.train;

/** The loss stopped being a finite number; the run stops before the bad step's update is kept. */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient TrainingState lastGood;

    TrainingDivergedException(int epoch, int step, long globalStep, float loss, TrainingState lastGood) {
        super("training diverged: the loss is " + loss + " at epoch " + epoch + ", step " + step
                + " (step " + globalStep + " of the run); try a lower --lr");
        this.lastGood = lastGood;
    }

    /** Returns the state before the step that diverged. */
    public TrainingState lastGood() {
        return lastGood;
    }
}
