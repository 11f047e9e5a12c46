package dev.alexnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --resize-schedule}: epochs train at the schedule's sizes, validation at the network's own, and the
 * run directory says so; a schedule that cannot work is refused with one line before anything is written.
 */
class ResizeScheduleCliTest {

    @TempDir
    Path dir;

    @Test
    void epochsTrainAtTheSchedulesSizesAndTheRunRecordsThem() throws IOException {
        Path data = dev.alexnet.testing.IdxFixtures.fakeFashionMnist(Files.createDirectory(dir.resolve("data")), 16, 8,
                false);
        Path run = dir.resolve("run");

        CliTest.Result result = CliTest.run("train", "--model", "lenet", "--data-dir", data.toString(), "--batch-size",
                "8", "--epochs", "3", "--resize-schedule", "14:2,28:1", "--out", run.toString());

        assertEquals(0, result.code(), result.err());
        List<String> epochLines = result.out().lines().filter(l -> l.startsWith("epoch ")).toList();
        assertEquals(3, epochLines.size(), result.out());
        assertTrue(epochLines.get(0).contains(" at 14x14 "), epochLines.get(0));
        assertTrue(epochLines.get(1).contains(" at 14x14 "), epochLines.get(1));
        assertFalse(epochLines.get(2).contains(" at "), "the last epoch trains at the input size: " + epochLines.get(2));
        List<String> rows = Files.readAllLines(run.resolve("metrics.csv")).stream().filter(l -> l.startsWith("epoch,"))
                .toList();
        assertEquals(List.of("14", "14", "28"), rows.stream().map(l -> l.substring(l.lastIndexOf(',') + 1)).toList());
        JsonObject config = JsonParser.parseString(Files.readString(run.resolve("config.json"))).getAsJsonObject();
        assertEquals(28, config.getAsJsonObject("model").get("inputSize").getAsInt());
        assertTrue(config.getAsJsonObject("model").get("adaptivePool").getAsBoolean());
        assertEquals(2, config.getAsJsonObject("data").getAsJsonObject("resizeSchedule").getAsJsonArray("stages")
                .size());

        // the trained network is used at its own size like any other, and its export is the book's network (the pool,
        // an identity at 28, has no tensors): the exported file scores the same on a plain lenet
        CliTest.Result evaluated = CliTest.run("evaluate", "--weights", run.toString(), "--data-dir", data.toString(),
                "--json");
        assertEquals(0, evaluated.code(), evaluated.err());
        Path file = dir.resolve("lenet.safetensors");
        CliTest.Result exported = CliTest.run("export", "--weights", run.toString(), "--out", file.toString());
        assertEquals(0, exported.code(), exported.err());
        CliTest.Result plain = CliTest.run("evaluate", "--weights", file.toString(), "--model", "lenet", "--data-dir",
                data.toString(), "--json");
        assertEquals(0, plain.code(), plain.err());
        assertEquals(evaluated.json().get("accuracy").getAsDouble(), plain.json().get("accuracy").getAsDouble());
        assertEquals(evaluated.json().get("loss").getAsDouble(), plain.json().get("loss").getAsDouble(), 1e-6);

        // a run started from that file keeps the schedule it was asked for (the file names the same network and size)
        Path again = dir.resolve("again");
        CliTest.Result resumedFromFile = CliTest.run("train", "--init-from", file.toString(), "--model", "lenet",
                "--data-dir",
                data.toString(), "--batch-size", "8", "--epochs", "2", "--resize-schedule", "14:1,28:1", "--out",
                again.toString());
        assertEquals(0, resumedFromFile.code(), resumedFromFile.err());
        assertTrue(Files.readString(again.resolve("config.json")).contains("\"resizeSchedule\": {"),
                "the schedule is kept with --init-from");
    }

    @Test
    void resumingWithAnotherScheduleIsRefusedNamingBoth() throws IOException {
        Path data = dev.alexnet.testing.IdxFixtures.fakeFashionMnist(Files.createDirectory(dir.resolve("data")), 16, 8,
                false);
        Path run = dir.resolve("run");
        assertEquals(0, CliTest.run("train", "--model", "lenet", "--data-dir", data.toString(), "--batch-size", "8",
                "--epochs", "2", "--resize-schedule", "14:1,28:1", "--out", run.toString()).code());

        CliTest.Result other = CliTest.run("train", "--resume", run.toString(), "--resize-schedule", "20:1,28:1");
        CliTest.Result none = CliTest.run("train", "--resume", run.toString(), "--resize-schedule", "none");

        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("flags differ from the run being resumed: --resize-schedule 20:1,28:1 (run: "
                + "14:1,28:1) (leave"), other.err());
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().contains("--resize-schedule none (run: 14:1,28:1) (leave"), none.err());
    }

    @Test
    void schedulesThatCannotWorkAreRefusedWithOneLine() throws IOException {
        Path data = dev.alexnet.testing.IdxFixtures.fakeFashionMnist(Files.createDirectory(dir.resolve("data")), 16, 8,
                false);
        String[][] cases = {
            {"the resize schedule 14:2,28:1 lasts 3 epochs, more than the run's 2", "--resize-schedule", "14:2,28:1"},
            {"--resize-schedule size 3: input 3x3 is too small", "--resize-schedule", "3:1,28:1"},
            {"ends at 28, not at the input size 32", "--resize-schedule", "14:1,28:1", "--resize", "32"},
            {"'14' is not SIZE:EPOCHS", "--resize-schedule", "14"},
            {"size must be 1 to 2048, got 0", "--resize-schedule", "0:1,28:1"},
        };
        for (String[] c : cases) {
            Path out = dir.resolve("refused");
            List<String> args = new java.util.ArrayList<>(List.of("train", "--model", "lenet", "--data-dir",
                    data.toString(), "--batch-size", "8", "--epochs", "2", "--out", out.toString()));
            args.addAll(List.of(c).subList(1, c.length));
            CliTest.Result result = CliTest.run(args.toArray(new String[0]));
            assertTrue(result.code() != 0, String.join(" ", c));
            assertTrue(result.err().contains(c[0]), c[0] + " -> " + result.err());
            assertEquals(1, result.err().strip().lines().filter(l -> !l.startsWith("Try ")).count(), result.err());
            assertFalse(Files.exists(out), "nothing written for " + String.join(" ", c));
        }
    }
}
