package dev.alexnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alexnet.testing.IdxFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adversarial set kept in {@code src/test/resources/adversarial}: bad flag values, weights
 * files, pictures and IDX files, each refused with one line and a non-zero exit, nothing of the
 * user's changed and nothing written.
 */
class AdversarialTest {

    private static final Path SET = Path.of("src/test/resources/adversarial");

    @TempDir
    static Path dir;

    private static Path data;
    private static Path run;

    @BeforeAll
    static void aTinyRun() throws IOException {
        data = dir.resolve("data");
        run = dir.resolve("run");
        CliTest.tinyLenetRun(data, run);
    }

    @TestFactory
    Stream<DynamicTest> badFlagValuesAreRefusedInOneLineLeavingEverythingAsItWas() throws IOException {
        return Files.readAllLines(SET.resolve("flags.txt")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> DynamicTest.dynamicTest(line.substring(line.lastIndexOf('|') + 1).strip(), () -> {
                    String[] parts = line.split("\\|", 3);
                    Path tmp = Files.createTempDirectory(dir, "tmp");
                    Path mine = Files.createTempDirectory(dir, "mine");
                    Files.writeString(mine.resolve("curves.png"), "mine");
                    Files.writeString(mine.resolve("metrics.csv"), "my,data\n");
                    Path file = Files.writeString(Files.createTempDirectory(dir, "file").resolve("mine.txt"), "mine");
                    String[] args = parts[2].strip().replace("{data}", data.toString()).replace("{run}", run.toString())
                            .replace("{tmp}", tmp.toString()).replace("{mine}", mine.toString())
                            .replace("{file}", file.toString()).split(" ");

                    CliTest.Result result = CliTest.run(args);

                    assertEquals(Integer.parseInt(parts[0].strip()), result.code(), result.err());
                    assertTrue(result.err().contains(parts[1].strip()), result.err());
                    assertEquals(1, errorLines(result), result.err());
                    try (Stream<Path> written = Files.list(tmp)) {
                        assertEquals(List.of(), written.toList(), "nothing written");
                    }
                    assertEquals("mine", Files.readString(mine.resolve("curves.png")));
                    assertEquals("my,data\n", Files.readString(mine.resolve("metrics.csv")));
                    try (Stream<Path> entries = Files.list(mine)) {
                        assertEquals(2, entries.count(), "nothing added to the user's directory");
                    }
                    assertEquals("mine", Files.readString(file));
                }));
    }

    @TestFactory
    Stream<DynamicTest> badWeightsFilesAreRefusedInOneLine() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        String[][] cases = {
            {"nan-in-net.3.weight.safetensors", "tensor net.3.weight holds NaN or infinite values"},
            {"truncated.safetensors", "truncated: the header promises"},
            {"notes.safetensors", "not a safetensors file"},
            {"bomb.npz", "member net.0.weight.npy declares 67108992 bytes"},
            {"huge-shape.npz", "member net.0.weight.npy declares 2000000000 bytes of data"},
        };
        for (String[] c : cases) {
            tests.add(DynamicTest.dynamicTest(c[0], () -> {
                for (String command : List.of("predict", "evaluate")) {
                    List<String> args = new ArrayList<>(List.of(command, "--weights", SET.resolve("weights").resolve(c[0])
                            .toString(), "--model", "lenet", "--data-dir", data.toString()));
                    if (command.equals("predict")) {
                        args.addAll(List.of("--idx-index", "0"));
                    }
                    CliTest.Result result = CliTest.run(args.toArray(new String[0]));
                    assertEquals(1, result.code(), result.err());
                    assertTrue(result.err().contains(c[1]), result.err());
                    assertEquals(1, errorLines(result), result.err());
                    assertFalse(result.out().contains("NaN"), result.out());
                }
                CliTest.Result init = CliTest.run("train", "--init-from", SET.resolve("weights").resolve(c[0]).toString(),
                        "--model", "lenet", "--data-dir", data.toString(), "--out", dir.resolve("init-" + c[0]).toString());
                assertEquals(1, init.code(), init.err());
                assertFalse(Files.exists(dir.resolve("init-" + c[0])), "no run directory left behind");
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> badPicturesAreRefusedOneLineEachAndTheOthersStillPredicted() throws IOException {
        try (Stream<Path> pictures = Files.list(SET.resolve("pictures"))) {
            return pictures.sorted().toList().stream().map(bad -> DynamicTest.dynamicTest(bad.getFileName().toString(),
                    () -> {
                        Path good = dir.resolve("good.png");
                        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(40, 30,
                                java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png", good.toFile());

                        CliTest.Result result = CliTest.run("predict", "--weights", run.toString(), bad.toString(),
                                good.toString(), "--json");

                        assertEquals(1, result.code(), result.err());
                        assertEquals(1, result.err().strip().lines().count(), result.err());
                        assertTrue(result.err().contains(bad.toString()), result.err());
                        assertTrue(result.out().contains(good.toString()), "the good picture is still predicted");
                    }));
        }
    }

    @TestFactory
    Stream<DynamicTest> badPicturesInAFolderAreSkippedEachNamedAndTrainingGoesOn() throws IOException {
        try (Stream<Path> pictures = Files.list(SET.resolve("pictures"))) {
            return pictures.sorted().toList().stream().map(bad -> DynamicTest.dynamicTest(bad.getFileName().toString(),
                    () -> {
                        Path folder = Files.createTempDirectory(dir, "folder");
                        for (String name : List.of("ant", "bee", "cat")) {
                            Files.createDirectories(folder.resolve(name));
                            for (int i = 0; i < 3; i++) {
                                javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8,
                                        java.awt.image.BufferedImage.TYPE_BYTE_GRAY), "png",
                                        folder.resolve(name).resolve(i + ".png").toFile());
                            }
                        }
                        Path copied = Files.copy(bad, folder.resolve("bee").resolve(bad.getFileName()));
                        // a link back up the tree: not followed, so no loop
                        Files.createSymbolicLink(folder.resolve("cat").resolve("loop"), folder);
                        Path out = dir.resolve("folder-run-" + bad.getFileName());

                        CliTest.Result result = CliTest.run("train", "--model", "lenet", "--data", "folder:" + folder,
                                "--epochs", "1", "--out", out.toString());

                        assertEquals(0, result.code(), result.err());
                        List<String> warnings = result.err().lines().filter(l -> l.startsWith("warning:")).toList();
                        assertEquals(1, warnings.size(), result.err());
                        assertTrue(warnings.get(0).startsWith("warning: skipped " + copied.toAbsolutePath()), result.err());

                        // a class folder added before the run is resumed: refused, naming it
                        Files.createDirectories(folder.resolve("dog"));
                        Files.copy(folder.resolve("ant/0.png"), folder.resolve("dog/0.png"));
                        Files.copy(folder.resolve("ant/1.png"), folder.resolve("dog/1.png"));
                        CliTest.Result resumed = CliTest.run("train", "--resume", out.toString(), "--epochs", "2");
                        assertEquals(1, resumed.code(), resumed.err());
                        assertEquals(1, resumed.err().lines().filter(l -> l.startsWith("alexnet train:")).count(),
                                resumed.err());
                        assertTrue(resumed.err().contains("only in the folder: dog"), resumed.err());
                    }));
        }
    }

    @TestFactory
    Stream<DynamicTest> badIdxFilesAreRefusedInOneLineNamingTheFile() throws IOException {
        try (Stream<Path> files = Files.list(SET.resolve("idx"))) {
            return files.sorted().toList().stream().map(bad -> DynamicTest.dynamicTest(bad.getFileName().toString(),
                    () -> {
                        Path broken = Files.createTempDirectory(dir, "broken");
                        IdxFixtures.fakeFashionMnist(broken, 16, 8, false);
                        String target = bad.getFileName().toString().startsWith("label")
                                ? "t10k-labels-idx1-ubyte" : "t10k-images-idx3-ubyte";
                        Files.copy(bad, broken.resolve(target), StandardCopyOption.REPLACE_EXISTING);

                        CliTest.Result result = CliTest.run("evaluate", "--weights", run.toString(), "--data-dir",
                                broken.toString());

                        assertEquals(1, result.code(), result.err());
                        assertEquals(1, result.err().strip().lines().count(), result.err());
                        assertTrue(result.err().contains(target), result.err());
                    }));
        }
    }

    /** Counts the lines of an error, leaving out the usage hint that follows a bad flag. */
    private static long errorLines(CliTest.Result result) {
        return result.err().strip().lines().filter(line -> !line.startsWith("Try '")).count();
    }
}
