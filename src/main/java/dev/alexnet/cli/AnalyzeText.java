package dev.alexnet.cli;

import dev.alexnet.model.LayerCost;
import dev.alexnet.model.LayerNames;
import dev.alexnet.model.NetworkAnalysis;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code alexnet analyze} prints: a table per layer with totals, or one JSON object. */
final class AnalyzeText {

    private AnalyzeText() {}

    static Map<String, Object> toJson(NetworkAnalysis analysis) {
        List<Map<String, Object>> layers = new ArrayList<>();
        for (LayerCost layer : analysis.layers()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", layer.name());
            row.put("group", layer.group());
            row.put("outputShape", layer.outputShape().getShape());
            row.put("params", layer.params());
            row.put("paramBytes", layer.paramBytes());
            row.put("activationBytes", layer.activationBytes());
            row.put("macs", layer.macs());
            row.put("forwardFlops", layer.forwardFlops());
            row.put("trainFlops", layer.trainFlops());
            layers.add(row);
        }
        NetworkAnalysis.Totals all = analysis.totals(null);
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("conv", totalsJson(analysis.totals("conv"), all));
        totals.put("dense", totalsJson(analysis.totals("dense"), all));
        totals.put("all", totalsJson(all, all));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("input", analysis.input().getShape());
        result.put("layers", layers);
        result.put("totals", totals);
        return result;
    }

    private static Map<String, Object> totalsJson(NetworkAnalysis.Totals t, NetworkAnalysis.Totals all) {
        Map<String, Object> sums = new LinkedHashMap<>();
        sums.put("params", t.params());
        sums.put("paramBytes", t.paramBytes());
        sums.put("activationBytes", t.activationBytes());
        sums.put("macs", t.macs());
        sums.put("forwardFlops", t.forwardFlops());
        sums.put("trainFlops", t.trainFlops());
        Map<String, Object> share = new LinkedHashMap<>();
        share.put("params", ratio(t.params(), all.params()));
        share.put("activationBytes", ratio(t.activationBytes(), all.activationBytes()));
        share.put("forwardFlops", ratio(t.forwardFlops(), all.forwardFlops()));
        share.put("trainFlops", ratio(t.trainFlops(), all.trainFlops()));
        sums.put("share", share);
        return sums;
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    static void print(NetworkAnalysis analysis, PrintWriter out) {
        out.printf(Locale.ROOT, "input %s, float32; MB = 10^6 bytes, GFLOP = 10^9 FLOPs%n", LayerNames.format(analysis.input()));
        String header = "%-3s %-10s %-20s %12s %10s %10s %12s %11s %11s%n";
        out.printf(Locale.ROOT, header, "#", "layer", "output shape", "params", "param MB", "act MB", "MACs",
                "fwd GFLOP", "train GFLOP");
        int index = 1;
        for (LayerCost layer : analysis.layers()) {
            out.printf(Locale.ROOT, "%-3d %-10s %-20s %,12d %10.2f %10.2f %,12d %11.4f %11.4f%n", index++, layer.name(),
                    LayerNames.format(layer.outputShape()), layer.params(), layer.paramBytes() / 1e6,
                    layer.activationBytes() / 1e6, layer.macs(), layer.forwardFlops() / 1e9, layer.trainFlops() / 1e9);
        }
        NetworkAnalysis.Totals all = analysis.totals(null);
        for (String group : new String[] {"conv", "dense", null}) {
            NetworkAnalysis.Totals t = analysis.totals(group);
            out.printf(Locale.ROOT, "%-34s %,12d %10.2f %10.2f %,12d %11.4f %11.4f%n",
                    group == null ? "total" : "total " + group, t.params(), t.paramBytes() / 1e6,
                    t.activationBytes() / 1e6, t.macs(), t.forwardFlops() / 1e9, t.trainFlops() / 1e9);
            if (group != null) {
                out.printf(Locale.ROOT, "%-34s %11.1f%% %9.1f%% %9.1f%% %12s %10.1f%% %10.1f%%%n", "  share " + group,
                        100 * ratio(t.params(), all.params()), 100 * ratio(t.paramBytes(), all.paramBytes()),
                        100 * ratio(t.activationBytes(), all.activationBytes()), "",
                        100 * ratio(t.forwardFlops(), all.forwardFlops()), 100 * ratio(t.trainFlops(), all.trainFlops()));
            }
        }
    }
}
