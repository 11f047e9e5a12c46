package dev.alexnet.cli;

import static dev.alexnet.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.alexnet.data.DatasetCheck;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.train.RunConfig;
import dev.alexnet.run.Checkpoints;
import dev.alexnet.testing.ChildProcess;
import dev.alexnet.testing.IdxFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs that survive, through the command line: manifest, refusals, resume, Ctrl-C. */
class TrainRunCliTest {

    @TempDir
    Path dir;

    private Path data;

    @BeforeEach
    void fakeData() throws IOException {
        data = IdxFixtures.fakeFashionMnist(Files.createDirectory(dir.resolve("data")), 24, 8, true);
    }

    private CliTest.Result train(Path out, String... extra) {
        // a small network: the run machinery, not the network, is under test
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data-dir", data.toString(), "--model", "lenet-modern",
                "--batch-size", "8", "--epochs", "1", "--out", out.toString()));
        args.addAll(List.of(extra));
        return run(args.toArray(new String[0]));
    }

    @Test
    void manifestRecordsConfigurationVersionsAndDatasetChecksums() throws Exception {
        Path out = dir.resolve("run");
        CliTest.Result result = train(out);

        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("warning: " + data + " is not the official Fashion-MNIST")
                || result.err().contains("warning: " + data + " is not the official Fashion-MNIST"), result.err());
        JsonObject manifest = JsonParser.parseString(Files.readString(out.resolve("manifest.json"))).getAsJsonObject();
        assertEquals(42, manifest.get("seed").getAsLong());
        assertEquals(28, manifest.getAsJsonObject("config").getAsJsonObject("model").get("inputSize").getAsInt());
        JsonObject provenance = manifest.getAsJsonObject("provenance");
        for (String key : new String[] {"projectVersion", "djlVersion", "engineVersion", "device", "threads"}) {
            assertTrue(provenance.has(key), key);
        }
        assertEquals("2.7.1", provenance.get("engineVersion").getAsString());
        assertEquals("completed", manifest.get("status").getAsString());
        assertTrue(manifest.has("startedAt") && manifest.has("endedAt"));
        assertEquals(1, manifest.getAsJsonObject("finalMetrics").get("epoch").getAsInt());
        assertFalse(manifest.get("datasetOfficial").getAsBoolean());
        JsonArray files = manifest.getAsJsonObject("dataset").getAsJsonArray("files");
        assertEquals(4, files.size());
        JsonObject trainImages = files.get(0).getAsJsonObject();
        assertEquals("train-images-idx3-ubyte", trainImages.get("name").getAsString());
        assertEquals(sha256OfDecompressed(data.resolve("train-images-idx3-ubyte.gz")),
                trainImages.get("sha256").getAsString());
        assertTrue(Files.readString(out.resolve("metrics.csv")).startsWith("kind,epoch,x,trainLoss,valLoss,valAccuracy"));
    }

    @Test
    @org.junit.jupiter.api.Tag("real-data")
    void theRealDatasetIsTheOfficialRelease() {
        List<DatasetCheck.FileCheck> checks;
        try (FashionMnist data = FashionMnist.load(RunConfig.book().data())) {
            checks = data.files();
        }

        assertEquals(4, checks.size());
        checks.forEach(check -> assertTrue(check.official(), check.toString()));
    }

    @Test
    void anExistingRunIsNeverOverwritten() throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, train(out).code());
        byte[] params = Files.readAllBytes(out.resolve("lenet-modern-0001.params"));

        CliTest.Result again = train(out);

        assertEquals(1, again.code());
        assertEquals(1, again.err().strip().lines().count(), again.err());
        assertTrue(again.err().contains("already holds a run; continue it with --resume"), again.err());
        assertArrayEquals(params, Files.readAllBytes(out.resolve("lenet-modern-0001.params")));
    }

    @Test
    void resumingWithDifferentFlagsSaysWhichDiffer() {
        Path out = dir.resolve("run");
        assertEquals(0, train(out).code());

        CliTest.Result result = run("train", "--resume", out.toString(), "--lr", "0.5", "--batch-size", "8");

        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains("--lr 0.5 (run: 0.01)"), result.err());
        assertFalse(result.err().contains("--batch-size"), "an agreeing flag is not a difference: " + result.err());
    }

    @Test
    void resumingExtendsAFinishedRunByMoreEpochs() throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, train(out).code());

        CliTest.Result result = run("train", "--resume", out.toString(), "--epochs", "2", "--json");

        assertEquals(0, result.code(), result.err());
        assertEquals(2, result.json().getAsJsonArray("epochs").size());
        assertTrue(Files.exists(out.resolve("lenet-modern-0002.params")));
    }

    @Test
    void resumingARunWhoseCheckpointsAreAllCorruptFailsInOneLine() throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, train(out).code());
        for (Path checkpoint : Checkpoints.list(out)) {
            Files.write(checkpoint, new byte[] {1, 2, 3});
        }

        CliTest.Result result = run("train", "--resume", out.toString());

        assertEquals(1, result.code());
        assertTrue(result.err().contains("no valid checkpoint"), result.err());
        assertTrue(result.err().strip().lines().allMatch(line -> line.startsWith("warning: skipping")
                || line.startsWith("alexnet train: ")), result.err());
    }

    @Test
    void resumingSomethingThatIsNotARunFails() {
        CliTest.Result result = run("train", "--resume", dir.toString());

        assertEquals(1, result.code());
        assertTrue(result.err().contains("not a model directory"), result.err());
    }

    @Test
    void aModelDirectoryWhoseParametersAreFromAnotherConfigurationIsRefused() throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, train(out).code());
        Path config = out.resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"inputSize\": 28", "\"inputSize\": 32")
                .replace("\"resize\": 28", "\"resize\": 32"));

        CliTest.Result result = run("evaluate", "--weights", out.toString());

        assertEquals(1, result.code(), result.err());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertTrue(result.err().contains("parameters do not fit lenet-modern with 32x32 input"), result.err());
    }

    @Test
    void quickPresetWiresItsRecipeAndLetsFlagsOverrideIt() throws IOException {
        Path out = dir.resolve("quick");

        CliTest.Result result = run("train", "--preset", "quick", "--epochs", "1", "--data-dir", data.toString(),
                "--batch-size", "8", "--out", out.toString(), "--json");

        assertEquals(0, result.code(), result.err());
        JsonObject config = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        assertEquals("alexnet28", config.getAsJsonObject("model").get("name").getAsString());
        assertEquals(28, config.getAsJsonObject("model").get("inputSize").getAsInt());
        assertEquals(0.003, config.get("learningRate").getAsDouble(), 1e-9, "the key earlier versions wrote");
        assertEquals(0.003, config.getAsJsonObject("optimizer").get("learningRate").getAsDouble(), 1e-9);
        JsonObject optimizer = config.getAsJsonObject("optimizer");
        assertEquals("adam", optimizer.get("name").getAsString());
        assertTrue(optimizer.get("cosine").getAsBoolean());
        assertEquals(469, optimizer.get("warmupSteps").getAsInt());
        JsonObject augmentation = config.getAsJsonObject("data").getAsJsonObject("augmentation");
        assertTrue(augmentation.get("flip").getAsBoolean() && augmentation.get("crop").getAsBoolean());
        // the flags given override the recipe
        assertEquals(1, config.getAsJsonObject("training").get("maxEpochs").getAsInt());
        assertEquals(8, config.getAsJsonObject("data").get("batchSize").getAsInt());
    }

    @Test
    void fastPresetIsTheBooksNetworkWithAdamFlipsAndAResizeSchedule() {
        // --preset NAME is RunConfig.preset(NAME) with the flags applied, as the quick preset's run above shows
        // through config.json; the fast recipe itself is read here without training AlexNet at 224
        RunConfig fast = RunConfig.preset("fast");

        assertEquals(RunConfig.book().model(), fast.model().withAdaptivePool(false),
                "the book's network at 224, with the adaptive pool (an identity at 224) its first epoch at 160 needs");
        assertTrue(fast.model().adaptivePool());
        assertEquals(List.of(160, 224), List.of(fast.data().trainSize(1), fast.data().trainSize(2)));
        assertEquals("alexnet", fast.model().name());
        assertEquals(224, fast.model().inputSize());
        assertEquals(2, fast.training().maxEpochs());
        assertEquals(2e-4, fast.optimizer().learningRate(), 1e-9);
        assertEquals("adam", fast.optimizer().name());
        assertTrue(fast.optimizer().cosine());
        assertEquals(235, fast.optimizer().warmupSteps());
        assertTrue(fast.data().augmentation().flip());
        assertFalse(fast.data().augmentation().crop() || fast.data().augmentation().color());
    }

    @Test
    void unknownPresetIsAUsageError() {
        CliTest.Result result = train(dir.resolve("run"), "--preset", "slow");

        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().contains("unknown preset 'slow' (known: book, fast, quick)"), result.err());
    }

    @Test
    void divergenceExitsOneNamingTheStep() {
        CliTest.Result result = train(dir.resolve("run"), "--lr", "10000");

        assertEquals(1, result.code(), result.err());
        assertTrue(result.err().contains("training diverged: the loss is"), result.err());
        assertTrue(result.err().contains("at epoch 1, step"), result.err());
    }

    @Test
    void ctrlCFinishesTheStepCheckpointsAndExits130() throws Exception {
        Path out = dir.resolve("run");
        int code;
        try (ChildProcess child = ChildProcess.start(List.of(), List.of("train", "--data-dir", data.toString(),
                "--model", "lenet-modern", "--batch-size", "2", "--epochs", "1000", "--out", out.toString()),
                dir.resolve("stderr.txt"))) {
            // the estimate is printed after a few steps: training is under way
            child.awaitLine(line -> line.startsWith("estimate:"));
            child.interrupt();
            code = child.awaitExit();
        }

        String stderr = Files.readString(dir.resolve("stderr.txt"));
        assertEquals(130, code, stderr);
        assertTrue(stderr.contains("resume with: bin/alexnet train --resume " + out), stderr);
        List<Path> checkpoints = Checkpoints.list(out);
        assertFalse(checkpoints.isEmpty(), "a checkpoint was written on stop");
        assertTrue(Files.readString(out.resolve("manifest.json")).contains("\"status\": \"interrupted\""));
        CliTest.Result evaluate = run("evaluate", "--weights", out.toString(), "--json");
        assertEquals(0, evaluate.code(), "a stopped run's checkpoint can be evaluated: " + evaluate.err());
        // the fixture's 8 validation images hold classes 0-7 only: the others have no accuracy
        assertTrue(evaluate.json().getAsJsonObject("perClass").get("Bag").isJsonNull(), evaluate.out());
    }

    @Test
    void aRunInUseByAnotherProcessIsRefusedAtOnceNamingIt() throws Exception {
        Path out = dir.resolve("run");
        assertEquals(0, train(out).code());

        try (dev.alexnet.run.RunLock held = dev.alexnet.run.RunLock.acquire(out)) {
            // first from this process: refused without touching the lock file, whose closing would free it
            CliTest.Result sameProcess = run("train", "--resume", out.toString(), "--epochs", "2");
            assertEquals(1, sameProcess.code(), sameProcess.err());
            assertTrue(sameProcess.err().contains("is in use by"), sameProcess.err());
            try (ChildProcess other = ChildProcess.start(List.of(),
                    List.of("train", "--resume", out.toString(), "--epochs", "2"), null)) {
                assertEquals(1, other.awaitExit(), other.output());
                assertTrue(other.output().contains("is in use by process " + ProcessHandle.current().pid()),
                        other.output());
            }
        }
        assertEquals(0, run("train", "--resume", out.toString(), "--epochs", "2").code(), "free again");
    }

    @Test
    void aRunStoppedBeforeItsFirstCheckpointStartsOverAndStaleTemporariesGo() throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, train(out).code());
        // as if killed during its first checkpoint: configuration and manifest, a half-written checkpoint
        try (var files = Files.list(out)) {
            for (Path file : files.toList()) {
                if (file.getFileName().toString().startsWith("lenet-modern-")) {
                    Files.delete(file);
                }
            }
        }
        for (Path checkpoint : Checkpoints.list(out)) {
            Files.delete(checkpoint);
        }
        Path stale = Files.write(out.resolve("checkpoints/.ckpt-e0001-s000000.ckpt.tmp"), new byte[4096]);

        CliTest.Result result = run("train", "--resume", out.toString());

        assertEquals(0, result.code(), result.err());
        assertTrue((result.out() + result.err()).contains("has no checkpoint yet"), result.err());
        assertFalse(Files.exists(stale), "the cut-off write is removed");
        assertTrue(Files.exists(out.resolve("lenet-modern-0001.params")));
        assertEquals(1, dev.alexnet.run.MetricsFile.read(out).epochs().size());
    }

    @Test
    void aFinalModelAlteredOnDiskIsRefusedBySeal() throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, train(out).code());
        Path params = out.resolve("lenet-modern-0001.params");
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(params, bytes);

        CliTest.Result result = run("evaluate", "--weights", out.toString());

        assertEquals(1, result.code(), result.err());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertTrue(result.err().contains("the saved model is corrupt"), result.err());
    }

    @Test
    void moreThreadsThanCoresAreCappedWithAWarning() {
        Path out = dir.resolve("run");
        assertEquals(0, train(out).code());
        int cores = Runtime.getRuntime().availableProcessors();

        CliTest.Result result = run("evaluate", "--weights", out.toString(), "--threads", "1000");

        assertEquals(0, result.code(), result.err());
        assertTrue(result.err().contains("warning: --threads 1000 is more than the " + cores + " cores here; using "
                + cores), result.err());
    }

    @Test
    void aFinishedRunWhoseCheckpointsAreGoneIsNotTrainedOver() throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, train(out).code());
        for (Path checkpoint : Checkpoints.list(out)) {
            Files.delete(checkpoint);
        }
        byte[] model = Files.readAllBytes(out.resolve("lenet-modern-0001.params"));

        CliTest.Result result = run("train", "--resume", out.toString(), "--epochs", "2");

        assertEquals(1, result.code(), result.err());
        assertTrue(result.err().contains("holds a trained model but no checkpoint"), result.err());
        assertArrayEquals(model, Files.readAllBytes(out.resolve("lenet-modern-0001.params")));
    }

    @Test
    void outputsAreReplacedOnlyWithOverwrite() throws IOException {
        Path out = dir.resolve("run");
        assertEquals(0, train(out).code());
        Path mine = Files.writeString(dir.resolve("mine.safetensors"), "mine");

        assertEquals(1, run("export", "--weights", out.toString(), "--out", mine.toString()).code());
        assertEquals("mine", Files.readString(mine));
        assertEquals(0, run("export", "--weights", out.toString(), "--out", mine.toString(), "--overwrite").code());
        assertTrue(Files.size(mine) > 1000, "replaced when asked");

        Path report = Files.createDirectory(dir.resolve("report"));
        Files.writeString(report.resolve("confusion.png"), "mine");
        CliTest.Result refused = run("evaluate", "--weights", out.toString(), "--report", report.toString());
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().contains("confusion.png already exists"), refused.err());
        assertFalse(refused.out().contains("validation images"), "refused before scoring: " + refused.out());
        assertEquals("mine", Files.readString(report.resolve("confusion.png")));
    }

    private static String sha256OfDecompressed(Path gz) throws Exception {
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
    }
}
