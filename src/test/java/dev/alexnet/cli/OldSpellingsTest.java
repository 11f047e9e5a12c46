package dev.alexnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spellings the CLI had before its one grammar keep working, each with a one-line notice of the new one. */
class OldSpellingsTest {

    @Test
    void plotWithThePositionalRunDirectoryStillDrawsWithANotice(@TempDir Path run) throws IOException {
        Files.copy(Path.of("models/alexnet28-quick-record/metrics.csv"), run.resolve("metrics.csv"));

        CliTest.Result old = CliTest.run("plot", run.toString());

        assertEquals(0, old.code(), old.err());
        assertEquals(List.of("alexnet plot: note: plot RUN_DIR is now plot --run RUN_DIR; the old spelling keeps working "
                + "for now"), old.err().strip().lines().toList());
        assertTrue(Files.size(run.resolve("curves.png")) > 0);
    }

    @Test
    void modelDirStillNamesARunDirectoryWithANotice(@TempDir Path notARun) {
        CliTest.Result now = CliTest.run("evaluate", "--weights", notARun.toString());
        CliTest.Result old = CliTest.run("evaluate", "--model-dir", notARun.toString());

        assertEquals(1, now.code(), now.err());
        assertEquals(now.code(), old.code());
        List<String> lines = old.err().strip().lines().toList();
        assertEquals(List.of("alexnet evaluate: note: --model-dir DIR is now --weights DIR; the old spelling keeps "
                + "working for now", now.err().strip()), lines);
    }
}
