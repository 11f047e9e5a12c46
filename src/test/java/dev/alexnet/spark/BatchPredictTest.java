package dev.alexnet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.alexnet.cli.AlexNetCommand;
import dev.alexnet.predict.ImageInput;
import dev.alexnet.testing.CommandRun;
import dev.alexnet.weights.ShippedModel;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code batch-predict} on a real Spark (embedded, two task threads): one row per file, the same
 * answers as {@code predict}, broken files as rows with their reason.
 */
// slow: an embedded Spark session, 9 to 16 s on 2 cores; bin/test runs it, bin/test --fast does not
@org.junit.jupiter.api.Tag("slow")
class BatchPredictTest {

    private static final String[] FORMATS = {"png", "jpg", "gif", "bmp"};
    /** Enough pictures for each format, nested and not, in every partition. */
    private static final int PICTURES = 24;
    private static final List<String> BROKEN = List.of("bomb-100000x100000.png", "truncated.jpg", "not-a-picture.png",
            "empty.jpg");

    @TempDir
    static Path temp;

    private static SparkSession spark;
    private static Path pictures;

    @BeforeAll
    static void start() throws Exception {
        pictures = Files.createDirectories(temp.resolve("pictures"));
        Random random = new Random(7);
        for (int i = 0; i < PICTURES; i++) {
            String format = FORMATS[i % FORMATS.length];
            Path dir = i % 3 == 0 ? Files.createDirectories(pictures.resolve("nested")) : pictures;
            assertTrue(ImageIO.write(picture(random), format.equals("jpg") ? "jpeg" : format,
                    dir.resolve("picture-" + i + "." + format).toFile()));
        }
        for (String name : BROKEN) {
            Files.copy(Path.of("src/test/resources/adversarial/pictures").resolve(name), pictures.resolve(name));
        }
        spark = SparkSession.builder().master("local[2]").appName("BatchPredictTest")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** A product-like shape in a random colour on a random background, of a random size. */
    private static BufferedImage picture(Random random) {
        int width = 20 + random.nextInt(180);
        int height = 20 + random.nextInt(180);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(random.nextInt(0x1000000)));
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(random.nextInt(0x1000000)));
        int w = 1 + random.nextInt(width);
        int h = 1 + random.nextInt(height);
        if (random.nextBoolean()) {
            g.fillOval(random.nextInt(width - w + 1), random.nextInt(height - h + 1), w, h);
        } else {
            g.fillRect(random.nextInt(width - w + 1), random.nextInt(height - h + 1), w, h);
        }
        g.dispose();
        return image;
    }

    private static CommandRun cli(String... args) {
        return CommandRun.of(args);
    }

    /** Reads the CSV that batch-predict wrote: path to (label_1, probability_1, ..., error). */
    private static Map<String, String[]> readCsv(Path dir) throws Exception {
        Map<String, String[]> rows = new HashMap<>();
        try (Stream<Path> parts = Files.list(dir)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().endsWith(".csv")).toList()) {
                List<String> lines = Files.readAllLines(part);
                for (String line : lines.subList(1, lines.size())) {
                    String[] cells = line.split(",", 8);
                    rows.put(Path.of(java.net.URI.create(cells[0])).toString(), cells);
                }
            }
        }
        return rows;
    }

    @Test
    void everyFileGetsPredictsAnswerOrItsReason() throws Exception {
        Path output = temp.resolve("predictions-csv");
        BatchPredict.Summary summary = BatchPredict.run(spark, new BatchPredictConfig(ShippedModel.FILE,
                List.of(pictures.toString()), output, "csv", 3, 1, "local[2]", 3, false, ImageInput.Invert.AUTO), line -> { });
        assertEquals(PICTURES + BROKEN.size(), summary.pictures());
        assertEquals(4, summary.failures());
        assertEquals(1, summary.modelLoads(), "one JVM, one load");
        assertEquals(java.util.Set.of(ProcessHandle.current().pid()), summary.executorProcesses(), "embedded: this JVM");

        Map<String, String[]> rows = readCsv(output);
        assertEquals(PICTURES + BROKEN.size(), rows.size());
        // predict, one picture per batch as batch-predict ran them: the same bits
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(pictures)) {
            walk.filter(Files::isRegularFile).map(Path::toString).sorted().forEach(files::add);
        }
        List<String> args = new ArrayList<>(List.of("predict", "--weights", ShippedModel.FILE.toString(), "--top", "3",
                "--batch-size", "1", "--json"));
        args.addAll(files);
        CommandRun predict = cli(args.toArray(new String[0]));
        assertEquals(AlexNetCommand.FAILURE, predict.code(), "the broken files fail predict");
        JsonArray answers = JsonParser.parseString(predict.out()).getAsJsonArray();
        assertEquals(PICTURES, answers.size());
        for (JsonElement answer : answers) {
            JsonObject object = answer.getAsJsonObject();
            String[] row = rows.get(Path.of(object.get("file").getAsString()).toAbsolutePath().toString());
            assertTrue(row != null && row[7].isEmpty(), object.get("file").getAsString());
            JsonArray predictions = object.getAsJsonArray("predictions");
            for (int k = 0; k < 3; k++) {
                JsonObject p = predictions.get(k).getAsJsonObject();
                assertEquals(p.get("label").getAsString(), row[1 + 2 * k]);
                assertEquals(p.get("probability").getAsDouble(), Double.parseDouble(row[2 + 2 * k]), "exact");
            }
        }
        for (String name : BROKEN) {
            String[] row = rows.get(pictures.resolve(name).toAbsolutePath().toString());
            assertFalse(row[7].isEmpty(), name);
            assertTrue(predict.err().contains(name), name + " fails predict too");
        }
    }

    @Test
    void anEvaluationOnIdxFilesScoresAsEvaluateDoes() throws Exception {
        // a dataset written here (300 test images, ten patterns), scored by evaluate and by Spark in 3 partitions
        Path data = dev.alexnet.testing.IdxFixtures.patternFashionMnist(Files.createDirectories(temp.resolve("idx")), 10,
                300);
        CommandRun evaluate = CommandRun.of("evaluate", "--weights", ShippedModel.FILE.toString(), "--data-dir",
                data.toString(), "--all", "--json");
        assertEquals(0, evaluate.code(), evaluate.err());
        JsonObject expected = JsonParser.parseString(evaluate.out()).getAsJsonObject();

        Path output = temp.resolve("evaluation");
        BatchPredictConfig config = new BatchPredictConfig(ShippedModel.FILE, List.of(data.toString()), output, "parquet",
                3, BatchPredict.evaluationBatchSize(ShippedModel.FILE) / 16, "local[2]", 3, false, ImageInput.Invert.AUTO);
        assertTrue(BatchPredict.isEvaluation(config.inputs()));
        BatchPredict.EvaluationSummary summary = BatchPredict.evaluate(spark, config);
        assertEquals(300, summary.examples());
        assertEquals(expected.get("accuracy").getAsDouble(), summary.accuracy(), "the same images right");
        // evaluate's batches were split, so the batch losses differ: the same loss to float precision
        assertEquals(expected.get("loss").getAsDouble(), summary.loss(), 1e-6);
        BatchPredict.EvaluationSummary same = BatchPredict.evaluate(spark, new BatchPredictConfig(ShippedModel.FILE,
                List.of(data.toString()), temp.resolve("evaluation-2"), "parquet", 3,
                BatchPredict.evaluationBatchSize(ShippedModel.FILE), "local[2]", 3, false, ImageInput.Invert.AUTO));
        assertEquals(expected.get("loss").getAsDouble(), same.loss(), "evaluate's batches: evaluate's loss, to the bit");
        JsonObject perClass = expected.getAsJsonObject("perClass");
        for (int c = 0; c < 10; c++) {
            long row = java.util.Arrays.stream(summary.confusion()[c]).sum();
            assertEquals(30, row, "ten patterns, 30 images each");
            assertEquals(perClass.get(dev.alexnet.data.FashionMnist.CLASS_NAMES.get(c)).getAsDouble(),
                    (double) summary.confusion()[c][c] / row, 1e-12);
        }
        JsonObject written = JsonParser.parseString(Files.readString(output.resolve(BatchPredict.EVALUATION_FILE)))
                .getAsJsonObject();
        assertEquals(summary.accuracy(), written.get("accuracy").getAsDouble());
    }

    @Test
    void aTableOfPathsAndLargerBatchesGiveTheSameLabels() throws Exception {
        Path table = temp.resolve("list.csv");
        List<String> lines = new ArrayList<>(List.of("path"));
        for (int i = 1; i < PICTURES; i += 3) {
            lines.add(pictures.resolve("picture-" + i + "." + FORMATS[i % 4]).toString());
        }
        lines.add(temp.resolve("no-such-picture.png").toString()); // listed, gone: its row says so, the job goes on
        Files.write(table, lines);
        Path output = temp.resolve("predictions-parquet");
        BatchPredict.Summary summary = BatchPredict.run(spark, new BatchPredictConfig(ShippedModel.FILE,
                List.of(table.toString()), output, "parquet", 2, 64, "local[2]", 0, false, ImageInput.Invert.AUTO), line -> { });
        assertEquals(lines.size() - 1, summary.pictures());
        assertEquals(1, summary.failures());
        assertTrue(Files.exists(output.resolve("_SUCCESS")));
    }

    @Test
    void aFolderModelLabelsWithItsOwnClassNamesInOneFileWithOneHeader() throws Exception {
        Path idx = dev.alexnet.testing.IdxFixtures.patternFashionMnist(Files.createDirectories(temp.resolve("idx")), 30,
                12);
        Path folder = temp.resolve("colour");
        try (dev.alexnet.data.FashionMnist fashion = dev.alexnet.data.FashionMnist.load(new dev.alexnet.data.DataConfig(
                idx, 8, 28, null, null, dev.alexnet.data.Augmentation.NONE))) {
            dev.alexnet.data.FolderWriter.write(fashion, folder, 3, true);
        }
        Path weights = temp.resolve("colours.safetensors");
        try (dev.alexnet.data.ImageFolder data = dev.alexnet.data.ImageFolder.load(
                dev.alexnet.data.DataConfig.of(8, 28).withFolder(folder));
                dev.alexnet.model.Classifier model = new dev.alexnet.model.Classifier(data.fit(
                        new dev.alexnet.model.ModelConfig(dev.alexnet.model.Networks.LENET, 10, 28)),
                        dev.alexnet.model.OptimizerConfig.sgd(0.1f), ai.djl.Device.cpu())) {
            new dev.alexnet.train.Trainer(dev.alexnet.testing.Configs.training(1, 3), List.of()).fit(model, data);
            dev.alexnet.weights.WeightsFile.export(model, weights, dev.alexnet.weights.WeightsFormat.SAFETENSORS);
        }
        Path output = temp.resolve("colour-labels");

        BatchPredict.Summary summary = BatchPredict.run(spark, new BatchPredictConfig(weights,
                List.of(folder.resolve("val").toString()), output, "csv", 3, 8, "local[2]", 2, false,
                dev.alexnet.predict.ImageInput.Invert.AUTO, true, false), line -> { });

        List<Path> files;
        try (Stream<Path> parts = Files.list(output)) {
            files = parts.filter(p -> p.getFileName().toString().endsWith(".csv")).toList();
        }
        assertEquals(1, files.size(), "--single-file: one file");
        List<String> lines = Files.readAllLines(files.get(0));
        assertEquals(1, lines.stream().filter(l -> l.startsWith("path,")).count(), "one header");
        assertEquals(summary.pictures(), lines.size() - 1);
        List<String> names = List.of("0-T-shirt-top", "1-Trouser", "2-Pullover");
        for (String[] row : readCsv(output).values()) {
            assertTrue(names.contains(row[1]) && names.contains(row[3]) && names.contains(row[5]), String.join(",", row));
        }
    }
}
