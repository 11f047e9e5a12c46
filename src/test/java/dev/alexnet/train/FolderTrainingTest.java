package dev.alexnet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.alexnet.data.Augmentation;
import dev.alexnet.data.DataConfig;
import dev.alexnet.data.DataModule;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.data.FolderWriter;
import dev.alexnet.data.IdxImages;
import dev.alexnet.data.ImageFolder;
import dev.alexnet.data.Split;
import dev.alexnet.model.Classifier;
import dev.alexnet.model.Evaluation;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.Networks;
import dev.alexnet.model.OptimizerConfig;
import dev.alexnet.testing.Configs;
import dev.alexnet.testing.IdxFixtures;
import dev.alexnet.testing.LossRecorder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training from a folder of pictures: the IDX run's losses from the same pictures, and colour pictures learned. */
class FolderTrainingTest {

    @TempDir
    Path dir;

    @Test
    void aFolderWrittenFromIdxFilesTrainsToTheIdxRunsLosses() throws IOException {
        IdxFixtures.patternFashionMnist(java.nio.file.Files.createDirectories(dir.resolve("idx")), 256, 64);
        DataConfig config = new DataConfig(dir.resolve("idx"), 32, 32, null, null, Augmentation.NONE);
        ModelConfig lenet = new ModelConfig(Networks.LENET, 10, 32);
        try (FashionMnist idx = FashionMnist.load(config)) {
            FolderWriter.write(idx, dir.resolve("folder"), 10, false);
            try (ImageFolder folder = ImageFolder.load(config.withFolder(dir.resolve("folder")));
                    DataModule inIdxOrder = DataModule.of(folder.config(), idxOrder(folder.train(), folder.trainFiles()),
                            idxOrder(folder.validation(), folder.validationFiles()), folder.classNames())) {
                List<Float> fromIdx = losses(idx, lenet);
                List<Float> fromFolder = losses(inIdxOrder, folder.fit(lenet));
                assertEquals(3 * 8, fromIdx.size());
                for (int step = 0; step < fromIdx.size(); step++) {
                    assertEquals(fromIdx.get(step), fromFolder.get(step), 1e-6 * Math.abs(fromIdx.get(step)),
                            "step " + step + ": " + fromIdx + " against " + fromFolder);
                }
            }
        }
    }

    // slow: three epochs of the book's AlexNet at 65x65, about 20 s on 2 cores; bin/test runs it, --fast does not
    @org.junit.jupiter.api.Tag("slow")
    @Test
    void theBooksAlexNetWithThreeChannelsLearnsColourPictures() throws IOException {
        IdxFixtures.patternFashionMnist(java.nio.file.Files.createDirectories(dir.resolve("idx")), 160, 80);
        try (FashionMnist idx = FashionMnist.load(new DataConfig(dir.resolve("idx"), 16, 28, null, null,
                Augmentation.NONE))) {
            FolderWriter.write(idx, dir.resolve("colour"), 4, true);
        }
        int size = 65; // the smallest input the book's AlexNet takes keeps the test short
        DataConfig config = DataConfig.of(16, size).withFolder(dir.resolve("colour"));
        try (ImageFolder data = ImageFolder.load(config);
                Classifier model = new Classifier(data.fit(new ModelConfig(Networks.ALEXNET, 10, size)),
                        new OptimizerConfig("adam", 3e-4f, 0f, 0, false), Device.cpu());
                NDManager manager = NDManager.newBaseManager()) {
            assertEquals(3, data.channels(), "PNG and JPEG in colour");
            assertEquals(4, model.config().numClasses());
            assertEquals(3, model.config().channels());
            new Trainer(Configs.training(3, 7), List.of()).fit(model, data);
            Evaluation result = model.evaluate(data.validationBatches(manager));
            assertEquals(32, result.examples());
            assertTrue(result.accuracy() > 0.6, "4 classes (chance 0.25): " + result.accuracy());
        }
    }

    /** Puts a split read from a folder back into the IDX files' order, by the index in each file's name. */
    private static Split idxOrder(Split split, List<Path> files) {
        IdxImages images = split.images();
        int bytes = images.imageBytes();
        byte[] pixels = new byte[images.pixels().length];
        byte[] labels = new byte[split.size()];
        for (int i = 0; i < split.size(); i++) {
            String name = files.get(i).getFileName().toString();
            int j = Integer.parseInt(name.substring(0, name.indexOf('.')));
            System.arraycopy(images.pixels(), i * bytes, pixels, j * bytes, bytes);
            labels[j] = (byte) split.label(i);
        }
        return new Split(split.name(), new IdxImages(split.size(), images.rows(), images.cols(), pixels,
                images.channels()), labels);
    }

    private static List<Float> losses(DataModule data, ModelConfig network) {
        LossRecorder recorder = new LossRecorder();
        try (Classifier model = new Classifier(network, OptimizerConfig.sgd(0.05f), Device.cpu())) {
            new Trainer(Configs.training(3, 11), List.of(recorder)).fit(model, data);
        }
        return recorder.losses();
    }
}
