package dev.alexnet.bench;

import java.util.List;

/**
 * A benchmark's findings.
 *
 * @param config what was measured
 * @param machine where
 * @param results one per batch size, in the order measured
 */
public record BenchReport(BenchConfig config, MachineInfo machine, List<BenchResult> results) {

    public BenchReport {
        results = List.copyOf(results);
    }
}
