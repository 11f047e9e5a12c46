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

    /** Returns the report as {@code bench --json} prints it, with the layer profiles when there are any. */
    public java.util.Map<String, Object> toJson(List<LayerProfile.Result> profiles) {
        java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("machine", machine);
        json.put("config", config);
        json.put("results", results);
        if (!profiles.isEmpty()) {
            json.put("profiles", profiles);
        }
        return json;
    }
}
