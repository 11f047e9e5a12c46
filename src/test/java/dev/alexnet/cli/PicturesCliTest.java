package dev.alexnet.cli;

import static dev.alexnet.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.alexnet.data.BatchStream;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.testing.ImageFixtures;
import dev.alexnet.run.RunDirectory;
import dev.alexnet.testing.IdxFixtures;
import dev.alexnet.model.Classifier;
import dev.alexnet.train.RunConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that show what a model learned: plot, evaluate --report, filters, predict. */
class PicturesCliTest {

    @TempDir
    static Path dir;

    static Path run;

    @BeforeAll
    static void trainATinyModel() throws IOException {
        Path data = IdxFixtures.patternFashionMnist(Files.createDirectory(dir.resolve("data")), 48, 20);
        run = dir.resolve("run");
        // LeNet: the commands, not the network, are under test (PicturesTest draws AlexNet's filters)
        CliTest.Result result = run("train", "--data-dir", data.toString(), "--model", "lenet", "--batch-size", "8",
                "--epochs", "2", "--lr", "0.05", "--out", run.toString());
        assertEquals(0, result.code(), result.err());
        assertFalse(result.err().chars().anyMatch(c -> c == '\r' || c == 0x1b), "no control characters in logs");
        assertTrue(result.err().contains("epoch 2/2 step 6/6 (100%), loss "), result.err());
    }

    @Test
    void trainingLeavesCurvesAndPlotRedrawsThem() throws IOException {
        assertNotNull(ImageIO.read(run.resolve("curves.png").toFile()));
        Files.delete(run.resolve("curves.png"));

        CliTest.Result result = run("plot", "--run", run.toString());

        assertEquals(0, result.code(), result.err());
        assertNotNull(ImageIO.read(run.resolve("curves.png").toFile()));
        assertTrue(Files.readString(run.resolve("curves.svg")).contains("<svg"));
    }

    @Test
    void evaluateReportWritesPicturesAndPerClassAccuracy() throws IOException {
        Path report = dir.resolve("report");

        CliTest.Result result = run("evaluate", "--weights", run.toString(), "--report", report.toString(), "--json");

        assertEquals(0, result.code(), result.err());
        JsonObject perClass = result.json().getAsJsonObject("perClass");
        assertEquals(FashionMnist.CLASS_NAMES, new ArrayList<>(perClass.keySet()));
        assertNotNull(ImageIO.read(report.resolve("confusion.png").toFile()));
        assertNotNull(ImageIO.read(report.resolve("misclassified.png").toFile()));
    }

    @Test
    void filtersAreDrawn() throws IOException {
        Path out = dir.resolve("filters.png");

        CliTest.Result result = run("filters", "--weights", run.toString(), "--out", out.toString());

        assertEquals(0, result.code(), result.err());
        // LeNet's 6 first-layer kernels of 5x5, drawn 5 times as large with 3-pixel gaps: 3 columns, 2 rows
        java.awt.image.BufferedImage filters = ImageIO.read(out.toFile());
        assertEquals(3 * (5 * 5 + 3) + 3, filters.getWidth());
        assertEquals(2 * (5 * 5 + 3) + 3, filters.getHeight());
    }

    @Test
    void predictOfAValidationImageAgreesWithEvaluation() {
        RunConfig config = RunDirectory.readConfig(run);
        List<Long> predicted = new ArrayList<>();
        try (Classifier model = RunDirectory.loadModel(run, Device.cpu());
                FashionMnist data = FashionMnist.load(config.data());
                NDManager manager = NDManager.newBaseManager();
                BatchStream batches = data.validationBatches(manager)) {
            model.evaluate(batches, (labels, guesses, probability) -> {
                for (long guess : guesses) {
                    predicted.add(guess);
                }
            });
        }
        for (int index : new int[] {0, 7, 13}) {
            CliTest.Result result = run("predict", "--weights", run.toString(), "--idx-index", Integer.toString(index),
                    "--top", "1", "--json");

            assertEquals(0, result.code(), result.err());
            JsonObject only = JsonParser.parseString(result.out()).getAsJsonArray().get(0).getAsJsonObject();
            assertEquals("validation:" + index, only.get("file").getAsString());
            String label = only.getAsJsonArray("predictions").get(0).getAsJsonObject().get("label").getAsString();
            assertEquals(FashionMnist.CLASS_NAMES.get(predicted.get(index).intValue()), label, "image " + index);
        }
    }

    @Test
    void predictGoesOnPastBadFilesAndExitsNonZero() throws IOException {
        Path good = ImageFixtures.write(ImageFixtures.photo(120, 90), "jpg", dir.resolve("good.jpg"));
        Path bomb = Files.write(dir.resolve("bomb.png"), ImageFixtures.pngHeader(100_000, 100_000));
        Path text = Files.writeString(dir.resolve("text.png"), "hello");
        Path other = ImageFixtures.write(ImageFixtures.photo(33, 77), "png", dir.resolve("other.png"));

        CliTest.Result result = run("predict", "--weights", run.toString(), "--json", good.toString(), bomb.toString(),
                text.toString(), other.toString());

        assertEquals(1, result.code());
        JsonArray predictions = JsonParser.parseString(result.out()).getAsJsonArray();
        assertEquals(2, predictions.size(), "the good files are still predicted");
        assertEquals(good.toString(), predictions.get(0).getAsJsonObject().get("file").getAsString());
        JsonArray top = predictions.get(1).getAsJsonObject().getAsJsonArray("predictions");
        assertEquals(3, top.size());
        double previous = 1;
        for (int i = 0; i < 3; i++) {
            double probability = top.get(i).getAsJsonObject().get("probability").getAsDouble();
            assertTrue(probability <= previous && probability >= 0, "sorted probabilities");
            previous = probability;
        }
        List<String> errors = result.err().strip().lines().toList();
        assertEquals(2, errors.size(), result.err());
        assertTrue(errors.get(0).contains(bomb + ": claims 100000x100000 pixels"), errors.get(0));
        assertTrue(errors.get(1).contains(text + ": not an image"), errors.get(1));
    }

    @Test
    void predictNeedsImagesOrAnIndex() {
        assertEquals(2, run("predict", "--weights", run.toString()).code());
    }
}
