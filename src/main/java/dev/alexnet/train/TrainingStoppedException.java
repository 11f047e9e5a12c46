package dev.alexnet.train;

/** The run was asked to stop (Ctrl-C); it stopped between steps after its listeners checkpointed it. */
public final class TrainingStoppedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient TrainingState state;

    TrainingStoppedException(TrainingState state) {
        super("training stopped at epoch " + (state.epochsDone() + 1) + ", step " + state.stepInEpoch());
        this.state = state;
    }

    /** Returns where the run stopped. */
    public TrainingState state() {
        return state;
    }
}
