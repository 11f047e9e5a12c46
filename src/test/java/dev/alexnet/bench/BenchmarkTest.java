package dev.alexnet.bench;

import dev.alexnet.data.Augmentation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.Networks;
import dev.alexnet.testing.IdxFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark in-process at tiny sizes: consistent figures, no speed asserted (alexnet28 for the
 * figures, whose network does not matter; the book's AlexNet for the layer profile).
 */
class BenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void reportsConsistentFiguresForEachBatchSize() throws IOException {
        Path data = IdxFixtures.patternFashionMnist(Files.createDirectory(dir.resolve("data")), 48, 10);
        BenchConfig config = BenchConfig.builder(new ModelConfig(Networks.ALEXNET28, 10, 28)).batchSizes(List.of(2, 4))
                .steps(3, 3).learningRate(0.01f, true).data(data, 16, 10, Augmentation.NONE).trainEpochs(1)
                .gemmSize(128).seed(3).build();
        List<String> log = new ArrayList<>();

        BenchReport report = new Benchmark(config, Device.cpu(), log::add).run();
        double flopsPerImage = dev.alexnet.model.NetworkAnalysis.of(config.model(), 1).trainFlopsPerExample();

        assertTrue(report.machine().gemmGflops() > 0);
        assertTrue(report.machine().ceilingGflops() >= report.machine().gemmGflops(), report.machine().toString());
        assertEquals(List.of(2, 4), report.results().stream().map(BenchResult::batchSize).toList());
        for (BenchResult r : report.results()) {
            // tiny steps on a busy machine scatter too much for bounds on the rates: they were measured
            assertTrue(r.engineImagesPerSec() > 0 && r.pipelineImagesPerSec() > 0, r.toString());
            // engine and pipeline steps are separate steps, each timed on its own: equal figures to the
            // nanosecond would mean one set of times was reported as both
            assertNotEquals(r.engineStepSeconds(), r.pipelineStepSeconds(), r.toString());
            assertNotEquals(1.0, r.pipelineRatio(), r.toString());
            assertEquals(r.batchSize() / r.pipelineStepSeconds().median(), r.pipelineImagesPerSec(), 1e-9 * r.pipelineImagesPerSec());
            assertEquals(r.batchSize() / r.engineStepSeconds().median(), r.engineImagesPerSec(), 1e-9 * r.engineImagesPerSec());
            // GFLOP/s are the engine's rate (not the pipeline's), against the ceiling the report shows
            assertEquals(r.engineImagesPerSec() * flopsPerImage / 1e9, r.gflops(), 1e-9 * r.gflops());
            assertEquals(r.gflops() / report.machine().ceilingGflops(), r.limitRatio(), 1e-12, r.toString());
            for (BenchResult.Spread spread : List.of(r.engineStepSeconds(), r.pipelineStepSeconds())) {
                assertTrue(spread.min() > 0 && spread.min() <= spread.median() && spread.median() <= spread.max(),
                        spread.toString());
            }
            assertTrue(r.peakRssBytes() > 0);
            assertTrue(r.evalImagesPerSec() > 0, r.toString());
            assertNotNull(r.valAccuracy());
            assertTrue(r.valAccuracy() >= 0 && r.valAccuracy() <= 1);
            assertEquals(0.01f * r.batchSize() / 128, r.learningRate(), 1e-9f, "scaled by batch/128");
        }
        assertTrue(log.stream().anyMatch(line -> line.contains("ceiling")), log.toString());

        Path plot = dir.resolve("bench.png");
        BenchChart.write(report, plot);
        assertEquals(3 * BenchChart.HEIGHT, ImageIO.read(plot.toFile()).getHeight(), "three charts with accuracy");
    }

    @Test
    void layerProfileCoversEveryLayerAndAddsUp() {
        ModelConfig config = new ModelConfig(Networks.ALEXNET, 10, 65);

        LayerProfile.Result profile = LayerProfile.measure(config, 4, 1, 2, Device.cpu(), 1);

        // the chapter's nn.Sequential, layer by layer
        List<String> book = List.of("Conv2d", "ReLU", "MaxPool2d", "Conv2d", "ReLU", "MaxPool2d", "Conv2d", "ReLU",
                "Conv2d", "ReLU", "Conv2d", "ReLU", "MaxPool2d", "Flatten", "Linear", "ReLU", "Dropout", "Linear", "ReLU",
                "Dropout", "Linear");
        assertEquals(book, profile.rows().stream().map(LayerProfile.Row::name).toList());
        assertTrue(profile.forwardSeconds() > 0 && profile.backwardSeconds() > 0, profile.toString());
        assertTrue(profile.arithmeticShare() > 0 && profile.arithmeticShare() < 1, profile.toString());
        for (LayerProfile.Row row : profile.rows()) {
            assertTrue(row.forwardSeconds() > 0 && row.backwardSeconds() > 0, row.toString());
            boolean arithmetic = row.name().equals("Conv2d") || row.name().equals("Linear");
            assertEquals(arithmetic, row.forwardGflops() != null, row.toString());
            assertEquals(arithmetic, row.backwardGflops() != null, row.toString());
        }
        assertEquals(new ai.djl.ndarray.types.Shape(4, 10), profile.rows().get(20).outputShape());
    }

    @Test
    void ratesFollowFromStepTimesCountedByHand() {
        // batch 4: engine steps of 0.5 s are 8 images/s, pipeline steps of 1 s are 4 images/s (ratio 0.5);
        // 1 GFLOP per image at 8 images/s is 8 GFLOP/s, half of a 16 GFLOP/s ceiling
        BenchResult r = BenchResult.measured(4, new BenchResult.Spread(0.5, 0.4, 0.6),
                new BenchResult.Spread(1.0, 1.0, 1.0), new BenchResult.Spread(0.25, 0.25, 0.25), 1e9, 16, 1);
        assertEquals(8, r.engineImagesPerSec(), 1e-9);
        assertEquals(4, r.pipelineImagesPerSec(), 1e-9);
        assertEquals(0.5, r.pipelineRatio(), 1e-9);
        assertEquals(8, r.gflops(), 1e-9);
        assertEquals(0.5, r.limitRatio(), 1e-9);
        assertEquals(16, r.evalImagesPerSec(), 1e-9);
    }

    @Test
    void spreadIsMedianMinMax() {
        BenchResult.Spread odd = BenchResult.Spread.of(List.of(3.0, 1.0, 2.0));
        assertEquals(new BenchResult.Spread(2.0, 1.0, 3.0), odd);
        assertEquals(2.5, BenchResult.Spread.of(List.of(4.0, 1.0, 2.0, 3.0)).median());
    }
}
