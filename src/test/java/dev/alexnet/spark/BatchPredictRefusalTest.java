package dev.alexnet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.alexnet.cli.AlexNetCommand;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.model.Classifier;
import dev.alexnet.testing.CommandRun;
import dev.alexnet.weights.ShippedModel;
import dev.alexnet.weights.WeightsFile;
import dev.alexnet.weights.WeightsFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to batch-predict: one line and a non-zero exit, before Spark starts any work. */
class BatchPredictRefusalTest {

    @TempDir
    Path temp;

    private static CommandRun cli(String... args) {
        return CommandRun.of(args);
    }

    private static void refused(CommandRun run, int code, String reason) {
        assertEquals(code, run.code(), run.err());
        assertTrue(run.err().contains(reason), run.err());
        assertEquals(1, run.err().strip().lines().filter(line -> !line.startsWith("Try '")).count(), run.err());
        assertTrue(run.out().isEmpty(), run.out());
    }

    @Test
    void eachBadInputIsOneLineBeforeSparkStarts() throws Exception {
        Path pictures = Files.createDirectories(temp.resolve("pictures"));
        Path existing = Files.createDirectories(temp.resolve("existing"));
        Files.writeString(existing.resolve("mine.txt"), "the user's");
        refused(cli("batch-predict", "--input", temp.resolve("missing").toString(), "--output", temp.resolve("o1").toString()),
                AlexNetCommand.FAILURE, "no such file or directory");
        refused(cli("batch-predict", "--input", temp.resolve("pictures/*.jpg").toString(), "--output",
                temp.resolve("o2").toString()), AlexNetCommand.FAILURE, "matches nothing");
        refused(cli("batch-predict", "--input", pictures.toString(), "--output", existing.toString()),
                AlexNetCommand.FAILURE, "exists; give another --output or --overwrite");
        assertEquals("the user's", Files.readString(existing.resolve("mine.txt")));
        // --overwrite never deletes what is not a table of ours, nor what the job reads
        refused(cli("batch-predict", "--input", pictures.toString(), "--output", existing.toString(), "--overwrite"),
                AlexNetCommand.FAILURE, "holds mine.txt, not a table this command wrote; it is not replaced");
        refused(cli("batch-predict", "--input", pictures.toString(), "--output", temp.toString(), "--overwrite"),
                AlexNetCommand.FAILURE, "which this job reads; --overwrite would delete it");
        refused(cli("batch-predict", "--input", pictures.toString(), "--output", existing.resolve("mine.txt").toString(),
                "--overwrite"), AlexNetCommand.FAILURE, "is a file, not a table this command wrote");
        assertEquals("the user's", Files.readString(existing.resolve("mine.txt")));
        assertTrue(Files.isDirectory(pictures));
        refused(cli("batch-predict", "--input", pictures.toString(), "--output", "/proc/alexnet-out"),
                AlexNetCommand.FAILURE, "cannot write into /proc");
        refused(cli("batch-predict", "--input", pictures.toString(), "--output", temp.resolve("o3").toString(),
                "--format", "json"), AlexNetCommand.USAGE, "--format json is not one of [parquet, csv]");
        refused(cli("batch-predict", "--input", pictures.toString(), "--output", temp.resolve("o4").toString(),
                "--top", "11"), AlexNetCommand.USAGE, "--top 11 is out of range");

        // another network's weights: lenet's tensors in an NPZ file, which names no network, read as alexnet
        Path lenet = temp.resolve("lenet.npz");
        try (Classifier model = Classifier.forInference(FashionMnist.network("lenet", 28), Device.cpu())) {
            model.block().initialize(model.model().getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                    new ai.djl.ndarray.types.Shape(1, 1, 28, 28));
            WeightsFile.export(model, lenet, WeightsFormat.NPZ);
        }
        refused(cli("batch-predict", "--weights", lenet.toString(), "--input", pictures.toString(), "--output",
                temp.resolve("o5").toString()), AlexNetCommand.FAILURE, "lenet.npz");
        for (String name : new String[] {"o1", "o2", "o3", "o4", "o5"}) {
            assertFalse(Files.exists(temp.resolve(name)), name + " was not made");
        }
        assertTrue(Files.exists(ShippedModel.FILE));
    }
}
