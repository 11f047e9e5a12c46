package dev.alexnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --resume} refuses every flag that would change the saved configuration, field by
 * field, and accepts {@code --epochs}, which may extend the run.
 */
class ResumeRefusalTest {

    /** Each flag of {@code train} that sets a field, with a value other than the run's, and the field. */
    private static final Map<String, String[]> CHANGES = new LinkedHashMap<>();

    static {
        CHANGES.put("model.name", new String[] {"--model", "lenet-modern"});
        CHANGES.put("model.inputSize", new String[] {"--resize", "32"});
        CHANGES.put("data.resize", new String[] {"--resize", "36"});
        CHANGES.put("data.batchSize", new String[] {"--batch-size", "4"});
        CHANGES.put("data.limit", new String[] {"--limit", "5"});
        CHANGES.put("data.valLimit", new String[] {"--val-limit", "5"});
        CHANGES.put("data.augmentation.flip", new String[] {"--augment", "flip"});
        CHANGES.put("data.augmentation.crop", new String[] {"--augment", "crop"});
        CHANGES.put("data.augmentation.color", new String[] {"--augment", "color"});
        CHANGES.put("training.seed", new String[] {"--seed", "9"});
        CHANGES.put("training.checkpointEvery", new String[] {"--checkpoint-every", "3"});
        CHANGES.put("training.checkpointMinutes", new String[] {"--checkpoint-minutes", "3"});
        CHANGES.put("training.keep", new String[] {"--keep", "3"});
        CHANGES.put("optimizer.name", new String[] {"--optimizer", "adam"});
        CHANGES.put("optimizer.learningRate", new String[] {"--lr", "0.5"});
        CHANGES.put("optimizer.weightDecay", new String[] {"--weight-decay", "0.1"});
        CHANGES.put("optimizer.warmupSteps", new String[] {"--warmup-steps", "5"});
        CHANGES.put("optimizer.cosine", new String[] {"--cosine"});
        CHANGES.put("optimizer.momentum", new String[] {"--momentum", "0.5"});
        // Nesterov's form needs a momentum; the run has none, so both differ
        CHANGES.put("optimizer.nesterov", new String[] {"--momentum", "0.5", "--nesterov"});
        CHANGES.put("optimizer.labelSmoothing", new String[] {"--label-smoothing", "0.1"});
        CHANGES.put("data.folder", new String[] {"--data", "folder:/pictures"});
        // the channels and the validation share go with a folder; the run reads Fashion-MNIST, so both differ
        CHANGES.put("data.channels", new String[] {"--data", "folder:/pictures", "--channels", "3"});
        CHANGES.put("data.valFraction", new String[] {"--data", "folder:/pictures", "--val-fraction", "0.5"});
        // a resize schedule brings the adaptive pool with it; one stage at the run's size fits its one epoch
        CHANGES.put("data.resizeSchedule", new String[] {"--resize-schedule", "28:1"});
        CHANGES.put("model.adaptivePool", new String[] {"--resize-schedule", "28:1"});
    }

    /** Fields a resumed run may change, or that no flag of train sets (a preset may: tested below). */
    private static final Set<String> NOT_REFUSED = Set.of("training.maxEpochs", "data.dataDir", "model.numClasses",
            "learningRate", "data.seed",
            // taken from the data, never from a flag; a folder whose classes or channels changed is refused on its
            // own (AdversarialTest's folder cases)
            "model.channels", "model.classNames", "model.preprocessing");

    // Each test has a run of its own: one test continues its run, which must not change another's.
    @TempDir
    Path dir;

    private Path data;
    private Path run;

    @BeforeEach
    void oneShortRun() throws IOException {
        data = dir.resolve("data");
        run = dir.resolve("run");
        CliTest.tinyLenetRun(data, run);
    }

    @Test
    void everyFieldOfTheSavedConfigurationHasAChangeBelow() throws IOException {
        Set<String> fields = new TreeSet<>();
        leaves("", JsonParser.parseString(Files.readString(run.resolve("config.json"))), fields);
        fields.removeAll(NOT_REFUSED);

        assertEquals(new TreeSet<>(CHANGES.keySet()), fields,
                "a field added to the configuration needs a flag and a line in CHANGES");
    }

    @Test
    void changingAnyFieldIsRefusedNamingTheFlag() throws IOException {
        byte[] config = Files.readAllBytes(run.resolve("config.json"));
        List<String> accepted = new ArrayList<>();
        for (Map.Entry<String, String[]> change : CHANGES.entrySet()) {
            List<String> args = new ArrayList<>(List.of("train", "--resume", run.toString()));
            args.addAll(List.of(change.getValue()));
            CliTest.Result result = CliTest.run(args.toArray(new String[0]));
            if (result.code() != 2 || !result.err().contains("flags differ from the run being resumed: "
                    + change.getValue()[0])) {
                accepted.add(change.getKey() + " -> " + result.code() + " " + result.err());
            }
            assertEquals(1, result.err().strip().lines().filter(l -> !l.startsWith("Try ")).count(), result.err());
        }
        assertEquals(List.of(), accepted, "every change is refused");
        assertTrue(java.util.Arrays.equals(config, Files.readAllBytes(run.resolve("config.json"))), "nothing rewritten");
    }

    @Test
    void aPresetThatChangesTheRecipeIsRefusedAndOneThatAgreesIsNot() {
        CliTest.Result other = CliTest.run("train", "--resume", run.toString(), "--preset", "quick");
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("--model alexnet28 (run: lenet)"), other.err());

        CliTest.Result agreeing = CliTest.run("train", "--resume", run.toString(), "--lr", "0.01", "--model", "lenet",
                "--epochs", "2");
        assertEquals(0, agreeing.code(), "agreeing flags and more epochs continue the run: " + agreeing.err());
    }

    @Test
    void repeatingTheNetworkOfARunAtAnotherSizeIsNoChange() {
        Path sized = dir.resolve("sized");
        assertEquals(0, CliTest.run("train", "--model", "lenet", "--resize", "32", "--data-dir", data.toString(),
                "--batch-size", "8", "--epochs", "1", "--out", sized.toString()).code());

        CliTest.Result again = CliTest.run("train", "--resume", sized.toString(), "--model", "lenet", "--epochs", "2");

        assertEquals(0, again.code(), "--model lenet names what the run is, at its size: " + again.err());
    }

    @Test
    void aChangedSizeIsNamedOnce() {
        CliTest.Result result = CliTest.run("train", "--resume", run.toString(), "--resize", "32");

        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains("flags differ from the run being resumed: --resize 32 (run: 28) (leave"),
                result.err());
    }

    private static void leaves(String path, JsonElement element, Set<String> out) {
        if (element.isJsonObject()) {
            JsonObject object = element.getAsJsonObject();
            object.keySet().forEach(key -> leaves(path.isEmpty() ? key : path + "." + key, object.get(key), out));
        } else {
            out.add(path);
        }
    }
}
