package dev.alexnet.train;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.util.Locale;

/** Prints resident memory and the model's live engine arrays every N steps, to show that a long run stays flat. */
public final class MemoryLogListener implements TrainingListener {

    private final int every;
    private final NDManager modelManager;
    private final PrintWriter out;
    private long steps;

    /** Logs every {@code every} steps, counting the arrays under {@code modelManager}. */
    public MemoryLogListener(int every, NDManager modelManager, PrintWriter out) {
        this.every = every;
        this.modelManager = modelManager;
        this.out = out;
    }

    @Override
    public void onStep(StepReport step) {
        steps++;
        if (steps % every == 0) {
            out.printf(Locale.ROOT, "memory: step %d  rss %.1f MiB  live model arrays %d%n", steps,
                    MemoryProbe.residentBytes() / 1048576.0, MemoryProbe.liveArrays(modelManager));
            out.flush();
        }
    }
}
