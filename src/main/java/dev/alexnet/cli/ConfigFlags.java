package dev.alexnet.cli;

import dev.alexnet.data.Augmentation;
import dev.alexnet.data.ResizeSchedule;
import dev.alexnet.io.Json;
import dev.alexnet.train.RunConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The flags that map onto a {@link RunConfig}, each once: how it reads its default from the book's
 * configuration (for {@code --help}) and how a given value changes a configuration. Applied in
 * this order, so that {@code --model} (which resets the input size to the network's own) comes
 * before {@code --resize}.
 */
final class ConfigFlags {

    /**
     * One flag.
     *
     * @param name the option's name
     * @param path the field it sets, as its JSON path in the configuration
     * @param get its value in a configuration, shown as the default ({@code null}: no single default)
     * @param set the configuration with the flag's (converted) value
     */
    record Flag(String name, String path, Function<RunConfig, Object> get, BiFunction<RunConfig, Object, RunConfig> set) {}

    static final List<Flag> ALL = List.of(
            new Flag("--model", "model.name", c -> c.model().name(),
                    // naming the network it already is changes nothing (not even its input size)
                    (c, v) -> v.equals(c.model().name()) ? c : c.withModel((String) v)),
            new Flag("--num-classes", "model.numClasses", c -> c.model().numClasses(), (c, v) -> c.withNumClasses((Integer) v)),
            // before --resize, so that a schedule's last size can be repeated there
            new Flag("--resize-schedule", "data.resizeSchedule", null, (c, v) -> c.withResizeSchedule(
                    "none".equals(v) ? null : ResizeSchedule.parse((String) v))),
            new Flag("--resize", "model.inputSize", null, (c, v) -> c.withInputSize((Integer) v)),
            new Flag("--epochs", "training.maxEpochs", c -> c.training().maxEpochs(), (c, v) -> c.withEpochs((Integer) v)),
            new Flag("--batch-size", "data.batchSize", c -> c.data().batchSize(), (c, v) -> c.withData(c.data().withBatchSize((Integer) v))),
            new Flag("--data-dir", "data.dataDir", null, (c, v) -> c.withData(c.data().withDataDir((Path) v))),
            new Flag("--data", "data.folder", null, (c, v) -> c.withData(c.data().withFolder(Converters.DataSource.folder((String) v)))),
            new Flag("--channels", "data.channels", null, (c, v) -> c.withData(c.data().withChannels((Integer) v))),
            new Flag("--val-fraction", "data.valFraction", null, (c, v) -> c.withData(c.data().withValFraction((Double) v))),
            new Flag("--limit", "data.limit", null, (c, v) -> c.withData(c.data().withLimit((Integer) v))),
            new Flag("--val-limit", "data.valLimit", null, (c, v) -> c.withData(c.data().withValLimit((Integer) v))),
            new Flag("--augment", "data.augmentation", c -> c.data().augmentation(), (c, v) -> c.withAugmentation((Augmentation) v)),
            new Flag("--seed", "training.seed", c -> c.training().seed(), (c, v) -> c.withTraining(c.training().withSeed((Long) v))),
            new Flag("--checkpoint-every", "training.checkpointEvery", null,
                    (c, v) -> c.withTraining(c.training().withCheckpointEvery((Integer) v))),
            new Flag("--checkpoint-minutes", "training.checkpointMinutes", c -> c.training().checkpointMinutes(),
                    (c, v) -> c.withTraining(c.training().withCheckpointMinutes((Integer) v == 0 ? null : (Integer) v))),
            new Flag("--keep", "training.keep", c -> c.training().keep(), (c, v) -> c.withTraining(c.training().withKeep((Integer) v))),
            new Flag("--optimizer", "optimizer.name", c -> c.optimizer().name(), (c, v) -> c.withOptimizer(c.optimizer().withName((String) v))),
            new Flag("--lr", "optimizer.learningRate", c -> c.optimizer().learningRate(),
                    (c, v) -> c.withOptimizer(c.optimizer().withLearningRate((Float) v))),
            new Flag("--weight-decay", "optimizer.weightDecay", c -> c.optimizer().weightDecay(),
                    (c, v) -> c.withOptimizer(c.optimizer().withWeightDecay((Float) v))),
            new Flag("--warmup-steps", "optimizer.warmupSteps", c -> c.optimizer().warmupSteps(),
                    (c, v) -> c.withOptimizer(c.optimizer().withWarmupSteps((Integer) v))),
            new Flag("--cosine", "optimizer.cosine", c -> c.optimizer().cosine(), (c, v) -> c.withOptimizer(c.optimizer().withCosine((Boolean) v))),
            new Flag("--momentum", "optimizer.momentum", c -> c.optimizer().momentum(),
                    (c, v) -> c.withOptimizer(c.optimizer().withMomentum((Float) v))),
            new Flag("--nesterov", "optimizer.nesterov", c -> c.optimizer().nesterov(),
                    (c, v) -> c.withOptimizer(c.optimizer().withNesterov((Boolean) v))),
            new Flag("--label-smoothing", "optimizer.labelSmoothing", c -> c.optimizer().labelSmoothing(),
                    (c, v) -> c.withOptimizer(c.optimizer().withLabelSmoothing((Float) v))));

    private static final Map<String, Flag> BY_NAME = ALL.stream().collect(Collectors.toMap(Flag::name, f -> f));

    private ConfigFlags() {}

    /** Returns {@code config} with every flag the user gave on {@code spec}'s command line. */
    static RunConfig apply(RunConfig config, CommandSpec spec) {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        for (Flag flag : ALL) {
            OptionSpec option = spec.findOption(flag.name());
            if (option != null && parsed.hasMatchedOption(flag.name())) {
                try {
                    config = flag.set().apply(config, option.getValue());
                } catch (IllegalArgumentException e) {
                    // a value fine alone that does not go with the others (momentum for adam, say)
                    throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
                }
            }
        }
        return config;
    }

    /**
     * Refuses, as a usage error, flags (and a preset) that would change the configuration of a run
     * being resumed; {@code --epochs} may extend it and {@code --data-dir} may say where its data is now.
     */
    static void refuseChanges(RunConfig saved, String preset, CommandSpec spec) {
        RunConfig asked = apply(preset == null ? saved : saved.withRecipeOf(RunConfig.preset(preset)), spec);
        List<String> differences = describe(asked.differencesFrom(saved, RunConfig.RESUMABLE_CHANGES));
        if (!differences.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "flags differ from the run being resumed: "
                    + String.join(", ", differences) + " (leave them out to use the saved ones)");
        }
    }

    /**
     * Says what differs as the user would have to type it: {@code --lr 0.5 (run: 0.01)} for a field
     * a flag sets, the field's path otherwise (a field no flag sets can differ only through a preset).
     */
    static List<String> describe(List<RunConfig.Difference> differences) {
        boolean scheduleDiffers = differences.stream().anyMatch(d -> d.path().startsWith(SCHEDULE));
        return differences.stream()
                // the adaptive pool comes and goes with a resize schedule: named by the schedule's difference
                .filter(d -> !(scheduleDiffers && d.path().equals(POOL)))
                .map(d -> {
            if (d.path().startsWith(SCHEDULE)) {
                // a schedule against none, or two schedules' stages
                boolean stages = d.path().equals(SCHEDULE + ".stages");
                return "--resize-schedule " + scheduleText(d.value(), stages) + " (run: "
                        + scheduleText(d.other(), stages) + ")";
            }
            String field = field(d.path());
            String flag = ALL.stream().filter(f -> field.equals(f.path())).map(Flag::name).findFirst().orElse(field);
            String detail = field.equals(d.path()) || d.path().equals("data.resize") ? "" : d.path() + " ";
            return flag + " " + detail + d.value().replace("\"", "") + " (run: " + d.other().replace("\"", "") + ")";
        }).distinct().toList();
    }

    private static final String SCHEDULE = "data.resizeSchedule";
    private static final String POOL = "model.adaptivePool";

    /**
     * Returns a resize schedule's JSON (or, for {@code stages}, its stages' JSON) as the flag writes it:
     * {@code 112:1,224:1}, or {@code none}.
     */
    private static String scheduleText(String json, boolean stages) {
        ResizeSchedule schedule = Json.compact().fromJson(stages ? "{\"stages\":" + json + "}" : json,
                ResizeSchedule.class);
        return schedule == null ? "none" : schedule.toString();
    }

    /** Returns the field a flag sets that holds {@code path}: the input size for both of its copies. */
    private static String field(String path) {
        if (path.equals("data.resize")) {
            return "model.inputSize";
        }
        if (path.equals(POOL)) {
            return SCHEDULE;
        }
        return ALL.stream().map(Flag::path).filter(p -> path.startsWith(p + ".")).findFirst().orElse(path);
    }

    /**
     * Shows the book's values as the defaults of options that have no default of their own, so
     * that {@code --help} and the behaviour come from {@link RunConfig#book()} alone.
     */
    static final class BookDefaults implements CommandLine.IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec option) || option.defaultValue() != null) {
                return null;
            }
            Flag flag = BY_NAME.get(option.longestName());
            return flag == null || flag.get() == null ? null : String.valueOf(flag.get().apply(RunConfig.book()));
        }
    }
}
