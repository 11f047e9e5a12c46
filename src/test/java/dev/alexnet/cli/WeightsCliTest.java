package dev.alexnet.cli;

import static dev.alexnet.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.alexnet.run.Manifest;
import dev.alexnet.testing.IdxFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export}, then {@code evaluate}/{@code predict --weights} and {@code train --init-from} on the file. */
class WeightsCliTest {

    @TempDir
    static Path dir;

    static Path data;
    static Path run;

    @BeforeAll
    static void trainATinyModel() throws IOException {
        data = IdxFixtures.patternFashionMnist(Files.createDirectory(dir.resolve("data")), 48, 20);
        run = dir.resolve("run");
        // LeNet: the file formats and commands, not the network, are under test (WeightsFileTest round-trips
        // every network in-process)
        CliTest.Result result = run("train", "--data-dir", data.toString(), "--model", "lenet", "--batch-size", "8",
                "--epochs", "1", "--lr", "0.05", "--out", run.toString());
        assertEquals(0, result.code(), result.err());
    }

    @Test
    void exportedFilesScoreExactlyAsTheRunDoes() {
        JsonObject fromRun = evaluate("--weights", run.toString());
        for (String name : new String[] {"lenet.safetensors", "lenet.npz"}) {
            Path file = dir.resolve(name);
            CliTest.Result exported = run("export", "--weights", run.toString(), "--out", file.toString());
            assertEquals(0, exported.code(), exported.err());
            assertTrue(exported.out().contains("lenet 28x28, 10 tensors named net.0.weight"), exported.out());

            // A safetensors file knows its network and size; an NPZ file needs them said.
            JsonObject fromFile = name.endsWith(".npz")
                    ? evaluate("--weights", file.toString(), "--model", "lenet", "--resize", "28")
                    : evaluate("--weights", file.toString());

            assertEquals(fromRun.get("loss").getAsDouble(), fromFile.get("loss").getAsDouble(), name);
            assertEquals(fromRun.get("accuracy").getAsDouble(), fromFile.get("accuracy").getAsDouble(), name);
        }
    }

    @Test
    void aRunWithOnlyCheckpointsExportsItsNewestOne() throws IOException {
        // An interrupted run has no final model: export takes the newest checkpoint, as evaluate does.
        Path interrupted = Files.createDirectory(dir.resolve("interrupted"));
        Files.copy(run.resolve("config.json"), interrupted.resolve("config.json"));
        Files.createDirectory(interrupted.resolve("checkpoints"));
        try (var checkpoints = Files.list(run.resolve("checkpoints"))) {
            for (Path checkpoint : checkpoints.toList()) {
                Files.copy(checkpoint, interrupted.resolve("checkpoints").resolve(checkpoint.getFileName()));
            }
        }
        Path file = dir.resolve("checkpoint.safetensors");

        CliTest.Result exported = run("export", "--weights", interrupted.toString(), "--out", file.toString());

        assertEquals(0, exported.code(), exported.err());
        JsonObject fromCheckpoint = evaluate("--weights", interrupted.toString());
        JsonObject fromFile = evaluate("--weights", file.toString());
        assertEquals(fromCheckpoint.get("loss").getAsDouble(), fromFile.get("loss").getAsDouble());
        assertEquals(fromCheckpoint.get("accuracy").getAsDouble(), fromFile.get("accuracy").getAsDouble());
    }

    @Test
    void predictWithWeightsAgreesWithTheRun() {
        Path file = dir.resolve("predict.safetensors");
        assertEquals(0, run("export", "--weights", run.toString(), "--out", file.toString()).code());
        for (String index : new String[] {"0", "5"}) {
            CliTest.Result fromRun = run("predict", "--weights", run.toString(), "--idx-index", index, "--json");
            CliTest.Result fromFile = run("predict", "--weights", file.toString(), "--data-dir", data.toString(),
                    "--idx-index", index, "--json");
            assertEquals(0, fromFile.code(), fromFile.err());
            assertEquals(fromRun.out(), fromFile.out());
        }
    }

    @Test
    void trainingFromExportedWeightsStartsWhereTheyAre() throws IOException {
        Path file = dir.resolve("start.safetensors");
        assertEquals(0, run("export", "--weights", run.toString(), "--out", file.toString()).code());
        Path continued = dir.resolve("continued");

        // A rate this small leaves the weights as they are, so the new run scores as the old one.
        CliTest.Result result = run("train", "--data-dir", data.toString(), "--init-from", file.toString(),
                "--batch-size", "8", "--epochs", "1", "--lr", "1e-12", "--out", continued.toString());

        assertEquals(0, result.code(), result.err());
        JsonObject before = evaluate("--weights", run.toString());
        JsonObject after = evaluate("--weights", continued.toString());
        assertEquals(before.get("accuracy").getAsDouble(), after.get("accuracy").getAsDouble());
        assertEquals(before.get("loss").getAsDouble(), after.get("loss").getAsDouble(), 1e-5);
        JsonObject manifest = JsonParser.parseString(Files.readString(continued.resolve(Manifest.FILE)))
                .getAsJsonObject();
        assertTrue(manifest.get("initializedFrom").getAsString().contains("start.safetensors (sha256 "),
                manifest.toString());
    }

    @Test
    void badWeightsAreOneLineErrorsAndLeaveNoRunBehind() throws IOException {
        Path file = dir.resolve("refuse.safetensors");
        assertEquals(0, run("export", "--weights", run.toString(), "--out", file.toString()).code());
        Path text = Files.writeString(dir.resolve("text.safetensors"), "not weights at all, only words here\n");

        assertOneLineFailure(run("evaluate", "--weights", file.toString(), "--model", "lenet-modern", "--data-dir",
                data.toString()), "holds lenet weights, not lenet-modern (use --model lenet)");
        assertOneLineFailure(run("evaluate", "--weights", text.toString(), "--data-dir", data.toString()),
                "not a safetensors file");
        // at 32x32 LeNet's second pool leaves 16·6·6 = 576 features for the first dense layer, not 16·5·5 = 400
        assertOneLineFailure(run("predict", "--weights", file.toString(), "--resize", "32", "--idx-index", "0",
                "--data-dir", data.toString()), "has shape (120, 400), lenet at 32x32 needs (120, 576)");
        Path notMade = dir.resolve("not-made");
        assertOneLineFailure(run("train", "--data-dir", data.toString(), "--init-from", text.toString(),
                "--epochs", "1", "--out", notMade.toString()), "not a safetensors file");
        assertFalse(Files.exists(notMade), "no run directory for a run that cannot start");

        CliTest.Result both = run("evaluate", "--weights", file.toString(), "--model-dir", run.toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("give --weights PATH once (--model-dir is its old spelling)"), both.err());
        CliTest.Result format = run("export", "--weights", run.toString(), "--out", file.toString(), "--format", "onnx");
        assertEquals(2, format.code());
        assertTrue(format.err().contains("unknown format 'onnx' (use safetensors or npz)"), format.err());
    }

    private static void assertOneLineFailure(CliTest.Result result, String expected) {
        assertEquals(1, result.code(), result.err());
        assertTrue(result.err().contains(expected), result.err());
        assertEquals(1, result.err().strip().lines().count(), result.err());
    }

    private static JsonObject evaluate(String... source) {
        String[] args = new String[source.length + 5];
        System.arraycopy(source, 0, args, 1, source.length);
        args[0] = "evaluate";
        args[source.length + 1] = "--data-dir";
        args[source.length + 2] = data.toString();
        args[source.length + 3] = "--batch-size";
        args[source.length + 4] = "8";
        String[] withJson = java.util.Arrays.copyOf(args, args.length + 1);
        withJson[args.length] = "--json";
        CliTest.Result result = run(withJson);
        assertEquals(0, result.code(), result.err());
        return result.json();
    }
}
