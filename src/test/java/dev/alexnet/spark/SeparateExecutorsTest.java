package dev.alexnet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.alexnet.predict.ImageInput;
import dev.alexnet.testing.ImageFixtures;
import dev.alexnet.weights.ShippedModel;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * batch-predict with executors in JVMs of their own: Spark's {@code local-cluster[2,1,1024]} master
 * starts a standalone master and two workers in this JVM, and each worker launches a real executor
 * process. The weights reach them as a file shipped with the job, and each loads the network once.
 */
// slow: a standalone Spark cluster and two executor JVMs, 10 to 22 s on 2 cores; bin/test runs it, bin/test --fast does not
@org.junit.jupiter.api.Tag("slow")
class SeparateExecutorsTest {

    @TempDir
    Path temp;

    @Test
    void twoExecutorJvmsEachLoadTheNetworkOnceAndAnswerEveryFile() throws Exception {
        // the workers build an executor's class path from SPARK_HOME/jars (see the pom): this test's jars
        Path jars = Files.createDirectories(Path.of(System.getenv("SPARK_HOME"), "jars"));
        List<String> directories = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath();
            if (entry.endsWith(".jar")) {
                Path link = jars.resolve(path.getFileName());
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, path);
                }
            } else if (Files.isDirectory(path)) {
                directories.add(path.toString());
            }
        }
        Path pictures = Files.createDirectories(temp.resolve("pictures"));
        for (int i = 0; i < 8; i++) {
            ImageFixtures.write(ImageFixtures.photo(60 + i, 90 + 2 * i), "png", pictures.resolve("photo-" + i + ".png"));
        }
        Files.write(pictures.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        SparkSession spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("SeparateExecutorsTest")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.artifact.isolation.enabled", "false")
                .config("spark.executor.extraClassPath", String.join(File.pathSeparator, directories))
                .config("spark.executor.extraJavaOptions", "-Dai.djl.offline=true -Djava.awt.headless=true")
                .getOrCreate();
        try {
            BatchPredict.Summary summary = BatchPredict.run(spark, new BatchPredictConfig(ShippedModel.FILE,
                    List.of(pictures.toString()), temp.resolve("out"), "parquet", 3, 8, "local-cluster[2,1,1024]", 4,
                    false, ImageInput.Invert.AUTO), line -> { });
            assertEquals(9, summary.pictures());
            assertEquals(1, summary.failures());
            // four tasks ran in processes other than this one, each of which loaded the network once
            assertTrue(!summary.executorProcesses().isEmpty() && summary.executorProcesses().size() <= 2,
                    summary.executorProcesses().toString());
            assertTrue(!summary.executorProcesses().contains(ProcessHandle.current().pid()), "executors are other JVMs");
            assertEquals(summary.executorProcesses().size(), summary.modelLoads());

            // a table of paths relative to this JVM's working directory, and a row without one: the executors
            // start elsewhere (their workers' folders), yet read the files the paths name here
            Path here = Path.of("").toAbsolutePath();
            List<org.apache.spark.sql.Row> rows = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                rows.add(org.apache.spark.sql.RowFactory.create(here.relativize(pictures.resolve("photo-" + i + ".png"))
                        .toString()));
            }
            rows.add(org.apache.spark.sql.RowFactory.create((Object) null));
            Path table = temp.resolve("paths.parquet");
            spark.createDataFrame(rows, new org.apache.spark.sql.types.StructType().add("path",
                    org.apache.spark.sql.types.DataTypes.StringType, true)).write().parquet(table.toString());
            BatchPredict.Summary relative = BatchPredict.run(spark, new BatchPredictConfig(ShippedModel.FILE,
                    List.of(table.toString()), temp.resolve("relative"), "parquet", 3, 8, "local-cluster[2,1,1024]", 2,
                    false, ImageInput.Invert.AUTO), line -> { });
            assertEquals(9, relative.pictures());
            List<org.apache.spark.sql.Row> written = spark.read().parquet(temp.resolve("relative").toString())
                    .select("path", "error").collectAsList();
            List<String> errors = written.stream().filter(row -> !row.isNullAt(1)).map(row -> row.getString(1)).toList();
            assertEquals(List.of("a row: no path"), errors, "the eight relative paths were read: " + written);
            assertEquals(1, relative.failures());
        } finally {
            spark.stop();
        }
        assertTrue(Files.exists(temp.resolve("out/_SUCCESS")));
    }
}
