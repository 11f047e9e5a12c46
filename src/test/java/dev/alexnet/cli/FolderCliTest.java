package dev.alexnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.alexnet.testing.IdxFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder of colour pictures through every command: train, evaluate, predict, export, fine-tune from it. */
class FolderCliTest {

    @TempDir
    Path dir;

    @Test
    void aColourFolderIsTrainedEvaluatedPredictedExportedAndFineTunedWithItsOwnClassNames() throws IOException {
        Path idx = IdxFixtures.patternFashionMnist(Files.createDirectories(dir.resolve("idx")), 120, 30);
        Path folder = dir.resolve("colour");
        CliTest.Result made = CliTest.run("make-folder", "--data-dir", idx.toString(), "--out", folder.toString(),
                "--classes", "3", "--colour");
        assertEquals(0, made.code(), made.err());
        List<String> names = List.of("0-T-shirt-top", "1-Trouser", "2-Pullover");
        Path run = dir.resolve("run");

        CliTest.Result trained = CliTest.run("train", "--data", "folder:" + folder, "--model", "lenet", "--epochs", "1",
                "--batch-size", "8", "--out", run.toString());

        assertEquals(0, trained.code(), trained.err());
        JsonObject model = JsonParser.parseString(Files.readString(run.resolve("config.json"))).getAsJsonObject()
                .getAsJsonObject("model");
        assertEquals(3, model.get("channels").getAsInt());
        assertEquals(3, model.get("numClasses").getAsInt());
        assertEquals(names.toString(), model.get("classNames").toString().replace("\"", "").replace(",", ", "));
        assertEquals("resize", model.get("preprocessing").getAsString());

        CliTest.Result evaluated = CliTest.run("evaluate", "--weights", run.toString());
        assertEquals(0, evaluated.code(), evaluated.err());
        assertTrue(evaluated.out().startsWith("lenet on 9 validation images"), evaluated.out());
        names.forEach(name -> assertTrue(evaluated.out().contains("  " + name), evaluated.out()));

        Path picture;
        try (Stream<Path> pictures = Files.list(folder.resolve("val/2-Pullover"))) {
            picture = pictures.sorted().findFirst().orElseThrow();
        }
        CliTest.Result predicted = CliTest.run("predict", "--weights", run.toString(), "--top", "3", picture.toString());
        assertEquals(0, predicted.code(), predicted.err());
        String line = predicted.out().strip();
        names.forEach(name -> assertTrue(line.contains(name + " "), line));

        Path exported = dir.resolve("colours.safetensors");
        assertEquals(0, CliTest.run("export", "--weights", run.toString(), "--out", exported.toString()).code());
        CliTest.Result fromFile = CliTest.run("predict", "--weights", exported.toString(), "--top", "3",
                picture.toString());
        assertEquals(predicted.out(), fromFile.out(), "the exported file keeps the names, channels and preprocessing");

        // Fashion-MNIST's test images are not this model's: evaluate and a distributed evaluation refuse them
        CliTest.Result scored = CliTest.run("evaluate", "--weights", exported.toString(), "--data-dir", idx.toString());
        assertEquals(2, scored.code(), scored.err());
        assertTrue(scored.err().contains("was trained on other pictures than Fashion-MNIST"), scored.err());
        CliTest.Result distributed = CliTest.run("batch-predict", "--weights", exported.toString(), "--input",
                idx.toString(), "--output", dir.resolve("eval").toString());
        assertEquals(1, distributed.code(), distributed.err());
        assertTrue(distributed.err().contains("cannot be evaluated on Fashion-MNIST's test images"), distributed.err());
        assertTrue(!Files.exists(dir.resolve("eval")), "nothing written");

        // fine-tuning on a folder of another class count: the last layer is replaced, and said so
        Path four = dir.resolve("four");
        assertEquals(0, CliTest.run("make-folder", "--data-dir", idx.toString(), "--out", four.toString(),
                "--classes", "4", "--colour").code());
        CliTest.Result tuned = CliTest.run("train", "--data", "folder:" + four, "--init-from", exported.toString(),
                "--epochs", "1", "--batch-size", "8", "--out", dir.resolve("tuned").toString());
        assertEquals(0, tuned.code(), tuned.err());
        assertTrue(tuned.err().contains("note: the last layer (net.11.weight, net.11.bias) scores 3 classes in the "
                + "file and 4 here"), tuned.err());
    }
}
