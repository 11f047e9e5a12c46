package dev.alexnet.train;

import ai.djl.ndarray.NDArray;

/**
 * An optimizer whose per-parameter state (moment estimates, momentum buffers, update counts) a
 * checkpoint saves and restores, so that a resumed run continues exactly.
 */
public interface StatefulOptimizer {

    /** Returns a parameter's state arrays, or {@code null} before its first update. */
    NDArray[] state(String parameterId);

    /** Returns how many updates a parameter has had. */
    int steps(String parameterId);

    /**
     * Restores a parameter's state, as saved from another instance.
     *
     * @throws IllegalArgumentException if {@code arrays} is not this optimizer's kind of state
     */
    void restore(String parameterId, NDArray[] arrays, int steps);
}
