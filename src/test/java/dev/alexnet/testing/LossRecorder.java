package dev.alexnet.testing;

import dev.alexnet.train.StepReport;
import dev.alexnet.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;

/** Records every step's loss, to check that training makes it fall. */
public final class LossRecorder implements TrainingListener {

    private final List<Float> losses = new ArrayList<>();

    @Override
    public void onStep(StepReport step) {
        losses.add(step.loss());
    }

    /** Returns the losses so far, step by step. */
    public List<Float> losses() {
        return List.copyOf(losses);
    }

    /** Returns the mean loss of steps {@code from} (inclusive) to {@code to} (exclusive). */
    public double mean(int from, int to) {
        return losses.subList(from, to).stream().mapToDouble(Float::doubleValue).average().orElseThrow();
    }
}
