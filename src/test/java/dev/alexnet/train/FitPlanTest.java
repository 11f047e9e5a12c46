package dev.alexnet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run's time left under a resize schedule, counted by hand: here a step at twice the side costs four. */
class FitPlanTest {

    @Test
    void stepsLeftAreWeightedByTheirEpochsPixels() {
        FitPlan plan = new FitPlan(3, 10, 80, 8, 8, 28, List.of(14, 14, 28), Map.of(14, 1.0, 28, 4.0));

        // after 5 steps of epoch 1: 5 + 10 steps at 14x14, then 10 at 28x28 worth 4 each
        assertEquals(5 + 10 + 40, plan.weightedStepsAfter(5, 1), 1e-9);
        // the same, counted in steps of epoch 3
        assertEquals((5 + 10) / 4.0 + 10, plan.weightedStepsAfter(5, 3), 1e-9);
        // resumed at the start of epoch 3
        assertEquals(10, plan.weightedStepsAfter(20, 3), 1e-9);
        assertEquals(0, plan.weightedStepsAfter(30, 3), 1e-9);
    }
}
