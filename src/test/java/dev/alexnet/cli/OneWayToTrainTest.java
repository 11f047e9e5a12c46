package dev.alexnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import dev.alexnet.examples.BookExperiment;
import dev.alexnet.model.Networks;
import dev.alexnet.run.MetricsFile;
import dev.alexnet.run.RunDirectory;
import dev.alexnet.run.TrainingRun;
import dev.alexnet.testing.IdxFixtures;
import dev.alexnet.train.EpochMetrics;
import dev.alexnet.train.RunConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library is the program: {@code alexnet train} with some flags, the README's four lines and a
 * {@link TrainingRun} given the configuration those flags describe train the same model, epoch for
 * epoch and digit for digit.
 */
class OneWayToTrainTest {

    @TempDir
    Path dir;

    @Test
    void theCliTheBooksFourLinesAndATrainingRunGiveIdenticalMetrics() throws IOException {
        Path data = IdxFixtures.patternFashionMnist(Files.createDirectory(dir.resolve("data")), 40, 20);
        Path cliRun = dir.resolve("cli");
        CliTest.Result result = CliTest.run("train", "--model", "lenet", "--data-dir", data.toString(),
                "--batch-size", "8", "--epochs", "2", "--lr", "0.3", "--seed", "5", "--out", cliRun.toString());
        assertEquals(0, result.code(), result.err());

        // the same configuration, written as a library user writes it
        RunConfig config = RunConfig.book().withModel(Networks.LENET).withEpochs(2)
                .withData(RunConfig.book().data().withDataDir(data).withBatchSize(8).withResize(28))
                .withOptimizer(RunConfig.book().optimizer().withLearningRate(0.3f))
                .withTraining(RunConfig.book().training().withMaxEpochs(2).withSeed(5));
        assertEquals(config, RunDirectory.readConfig(cliRun), "the flags describe this configuration");

        List<EpochMetrics> cli = MetricsFile.read(cliRun).epochs();
        List<EpochMetrics> fourLines = BookExperiment.fit(config, new PrintWriter(new StringWriter()));
        List<EpochMetrics> library;
        Path libraryRun = dir.resolve("library");
        try (TrainingRun run = TrainingRun.create(config, libraryRun, null, Engine.getInstance().defaultDevice(),
                warning -> { })) {
            library = run.fit(List.of());
        }

        assertEquals(2, cli.size());
        for (int i = 0; i < cli.size(); i++) {
            assertSameLearning(cli.get(i), fourLines.get(i));
            assertSameLearning(cli.get(i), library.get(i));
        }
        assertEquals(Files.readString(cliRun.resolve("config.json")), Files.readString(libraryRun.resolve("config.json")));
    }

    @Test
    void theReadmeShowsTheFourLinesThatAreRun() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        List<String> readme = Files.readAllLines(root.resolve("README.md")).stream().map(OneWayToTrainTest::normal)
                .toList();
        List<String> example = Files.readAllLines(root.resolve("src/test/java/dev/alexnet/examples/BookExperiment.java"))
                .stream().dropWhile(line -> !line.contains("// model =")).takeWhile(line -> !line.strip().equals("}"))
                .map(OneWayToTrainTest::normal).toList();

        assertEquals(5, example.size(), example.toString());
        for (String line : example) {
            assertTrue(readme.contains(line), "README.md lacks: " + line);
        }
    }

    private static String normal(String line) {
        return line.strip().replaceFirst("^return ", "").replaceAll("\\s+", " ");
    }

    /** Compares everything but the clock: losses and accuracies exactly. */
    private static void assertSameLearning(EpochMetrics expected, EpochMetrics actual) {
        assertEquals(expected.epoch(), actual.epoch());
        assertEquals(expected.trainLoss(), actual.trainLoss(), "train loss of epoch " + expected.epoch());
        assertEquals(expected.valLoss(), actual.valLoss(), "validation loss of epoch " + expected.epoch());
        assertEquals(expected.valAccuracy(), actual.valAccuracy(), "validation accuracy of epoch " + expected.epoch());
        assertEquals(expected.trainAccuracy(), actual.trainAccuracy(), "train accuracy of epoch " + expected.epoch());
    }
}
