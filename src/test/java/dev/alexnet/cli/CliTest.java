package dev.alexnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.alexnet.testing.IdxFixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every subcommand run in-process: exit codes, JSON keys and one-line errors. */
class CliTest {

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
        JsonObject json() {
            return JsonParser.parseString(out.strip()).getAsJsonObject();
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AlexNetCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    /** Trains lenet for one epoch on fake data in {@code data} (16 training, 8 validation images) into {@code out}. */
    static void tinyLenetRun(Path data, Path out) throws java.io.IOException {
        dev.alexnet.testing.IdxFixtures.fakeFashionMnist(java.nio.file.Files.createDirectory(data), 16, 8, false);
        Result result = run("train", "--model", "lenet", "--data-dir", data.toString(), "--batch-size", "8",
                "--epochs", "1", "--out", out.toString());
        assertEquals(0, result.code(), result.err());
    }

    @Test
    void summaryJsonHasTheBooksShapesAndTotal() {
        Result result = run("summary", "--json");

        assertEquals(0, result.code(), result.err());
        JsonObject json = result.json();
        assertEquals("[1,1,224,224]", json.get("input").toString());
        JsonArray layers = json.getAsJsonArray("layers");
        assertEquals(21, layers.size());
        JsonObject first = layers.get(0).getAsJsonObject();
        assertEquals("Conv2d", first.get("name").getAsString());
        assertEquals("[1,96,54,54]", first.get("outputShape").toString());
        assertEquals(11712, first.get("params").getAsLong());
        assertEquals("[1,10]", layers.get(20).getAsJsonObject().get("outputShape").toString());
        assertEquals(46_764_746L, json.get("totalParams").getAsLong());
    }

    @Test
    void analyzeJsonHasTheContractKeysAndTheChaptersNumbers() {
        Result result = run("analyze", "--json", "--batch-size", "2");

        assertEquals(0, result.code(), result.err());
        JsonObject json = result.json();
        JsonArray layers = json.getAsJsonArray("layers");
        assertEquals(21, layers.size());
        for (String key : new String[] {"name", "outputShape", "params", "paramBytes", "activationBytes", "forwardFlops",
            "trainFlops"}) {
            assertTrue(layers.get(3).getAsJsonObject().has(key), key);
        }
        assertEquals(2L * 415_334_400L, layers.get(3).getAsJsonObject().get("macs").getAsLong());
        JsonObject totals = json.getAsJsonObject("totals");
        long conv = totals.getAsJsonObject("conv").get("params").getAsLong();
        long dense = totals.getAsJsonObject("dense").get("params").getAsLong();
        assertEquals(46_764_746L, totals.getAsJsonObject("all").get("params").getAsLong());
        assertEquals(46_764_746L, conv + dense);
        double share = totals.getAsJsonObject("dense").getAsJsonObject("share").get("params").getAsDouble();
        assertEquals((double) dense / 46_764_746L, share, 1e-12);
    }

    @Test
    void benchJsonHasTheContractKeys() throws IOException {
        Path data = IdxFixtures.fakeFashionMnist(Files.createDirectory(dir.resolve("data")), 16, 4, false);

        Result result = run("bench", "--json", "--resize", "65", "--batch-sizes", "2,4", "--steps", "1", "--warmup", "0",
                "--gemm-size", "64", "--data-dir", data.toString());

        assertEquals(0, result.code(), result.err());
        JsonObject json = result.json();
        assertTrue(json.getAsJsonObject("machine").get("gemmGflops").getAsDouble() > 0);
        JsonArray results = json.getAsJsonArray("results");
        assertEquals(2, results.size());
        for (String key : new String[] {"batchSize", "engineImagesPerSec", "pipelineImagesPerSec", "pipelineRatio",
            "gflops", "limitRatio", "peakRssBytes"}) {
            assertTrue(results.get(1).getAsJsonObject().has(key), key);
        }
        assertEquals(4, results.get(1).getAsJsonObject().get("batchSize").getAsInt());
    }

    @Test
    void benchPeersTimesBothWaysOfTrainingOverTheSameImages() throws IOException {
        Path data = IdxFixtures.fakeFashionMnist(Files.createDirectory(dir.resolve("data")), 128, 4, false);

        Result result = run("bench", "--peers", "--json", "--resize", "65", "--peer-images", "128", "--rounds", "2",
                "--data-dir", data.toString());

        assertEquals(0, result.code(), result.err());
        JsonObject json = result.json();
        assertEquals(65, json.get("size").getAsInt());
        assertEquals(128, json.get("images").getAsInt());
        for (String side : new String[] {"oursImagesPerSec", "djlEasyTrainImagesPerSec"}) {
            JsonArray rates = json.getAsJsonArray(side);
            assertEquals(2, rates.size(), side + ": one rate per round");
            rates.forEach(rate -> assertTrue(rate.getAsDouble() > 0, side));
        }
        assertTrue(json.get("ratio").getAsDouble() > 0);
        assertTrue(result.err().contains("round 2 of 2: DJL EasyTrain"), result.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--peers --peer-images=100", "--peers --model=alexnet28", "--peers --plot=p.png",
        "--peers --batch-sizes=64", "--rounds=3", "--peer-images=256"})
    void benchPeersRefusesWhatItCannotCompare(String flags) {
        Result result = run(("bench " + flags).split(" "));

        assertEquals(2, result.code(), result.err());
        assertTrue(result.err().strip().split("\n")[0].startsWith("alexnet bench: "), result.err());
    }

    @Test
    void summaryTableEndsWithTheTotal() {
        Result result = run("summary", "--resize", "96");

        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("Flatten    output shape: (1, 256)"), result.out());
        assertTrue(result.out().strip().endsWith("total params: 21,598,922"), result.out());
    }

    @Test
    void summaryOfTooSmallAnInputIsOneLineAndFails() {
        Result result = run("summary", "--resize", "32");

        assertEquals(1, result.code());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertTrue(result.err().contains("layer 6 (MaxPool2d)"), result.err());
    }

    @Test
    void trainThenEvaluateAgree() throws IOException {
        Path data = IdxFixtures.fakeFashionMnist(Files.createDirectory(dir.resolve("data")), 40, 20, true);
        Path run = dir.resolve("run");

        Result train = run("train", "--json", "--epochs", "2", "--batch-size", "16", "--resize", "65",
                "--data-dir", data.toString(), "--limit", "32", "--val-limit", "12", "--out", run.toString(),
                "--threads", "2");

        assertEquals(0, train.code(), train.err());
        JsonObject json = train.json();
        assertEquals(run.toString(), json.get("runDir").getAsString());
        JsonArray epochs = json.getAsJsonArray("epochs");
        assertEquals(2, epochs.size());
        JsonObject last = epochs.get(1).getAsJsonObject();
        assertEquals(2, last.get("epoch").getAsInt());
        for (String key : new String[] {"trainLoss", "valLoss", "valAccuracy", "imagesPerSec"}) {
            assertTrue(Double.isFinite(last.get(key).getAsDouble()), key);
        }
        assertTrue(train.err().contains("estimate:"), "progress goes to stderr: " + train.err());
        assertTrue(Files.isRegularFile(run.resolve("config.json")));
        assertTrue(Files.isRegularFile(run.resolve("alexnet-0002.params")));

        Result evaluate = run("evaluate", "--json", "--weights", run.toString());

        assertEquals(0, evaluate.code(), evaluate.err());
        JsonObject scores = evaluate.json();
        assertEquals(12, scores.get("examples").getAsLong());
        assertEquals(last.get("valLoss").getAsDouble(), scores.get("loss").getAsDouble(), 1e-5);
        assertEquals(last.get("valAccuracy").getAsDouble(), scores.get("accuracy").getAsDouble(), 1e-9);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--epochs=0", "--batch-size=-1", "--lr=abc", "--lr=0", "--unknown-flag", "--resize=x",
        "--limit=0", "--threads=0", "--model=vgg", "--device=tpu"})
    void badTrainFlagsExitTwoWithAOneLineErrorAndAHint(String flag) {
        Result result = run("train", flag);

        assertEquals(2, result.code(), result.err());
        String[] lines = result.err().strip().split("\n");
        assertEquals(2, lines.length, result.err());
        assertTrue(lines[0].startsWith("alexnet train: "), lines[0]);
        assertTrue(lines[1].contains("--help"), lines[1]);
    }

    @Test
    void missingSubcommandAndUnknownSubcommandAreUsageErrors() {
        assertEquals(2, run().code());
        assertEquals(2, run("fly").code());
    }

    @Test
    void missingDataIsOneLineNamingTheDirectory() {
        Path empty = dir.resolve("empty");

        Result result = run("train", "--data-dir", empty.toString(), "--resize", "65", "--out", dir.resolve("r").toString());

        assertEquals(1, result.code());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertTrue(result.err().contains("Fashion-MNIST not found in " + empty), result.err());
    }

    @Test
    void corruptDataFileIsOneLineNamingTheFile() throws IOException {
        Path data = IdxFixtures.fakeFashionMnist(Files.createDirectory(dir.resolve("data")), 20, 10, false);
        Path images = data.resolve("train-images-idx3-ubyte");
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(bytes, bytes.length - 100));

        Result result = run("train", "--data-dir", data.toString(), "--resize", "65", "--out", dir.resolve("r").toString());

        assertEquals(1, result.code());
        assertEquals(1, result.err().strip().lines().count(), result.err());
        assertTrue(result.err().contains(images + ": truncated"), result.err());
    }

    @Test
    void evaluateWithoutAModelDirectoryFailsClearly() {
        Result result = run("evaluate", "--weights", dir.toString());

        assertEquals(1, result.code());
        assertTrue(result.err().contains("not a model directory"), result.err());
    }

    @Test
    @org.junit.jupiter.api.Tag("real-data")
    void withNoModelNamedTheShippedModelIsEvaluatedAndScoresWhatItsCardSays() throws IOException {
        JsonObject card = JsonParser.parseString(Files.readString(Path.of("models/alexnet28-quick.json"))).getAsJsonObject();
        double accuracy = card.getAsJsonObject("validation").get("accuracy").getAsDouble();
        Result result = run("evaluate");
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains(String.format(java.util.Locale.ROOT, "on 10000 validation images: loss %.4f  accuracy %.4f",
                card.getAsJsonObject("validation").get("loss").getAsDouble(), accuracy)), result.out());
        assertEquals(2, run("evaluate", "--model-dir", dir.toString(), "--weights", "x.safetensors").code());
    }
}
