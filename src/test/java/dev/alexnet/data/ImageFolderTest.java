package dev.alexnet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import dev.alexnet.testing.IdxFixtures;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder of pictures read as torchvision's ImageFolder reads it, and bit for bit as the IDX files it came from. */
class ImageFolderTest {

    @TempDir
    Path dir;

    /** Writes an IDX dataset of random pixels (every byte value occurs), label i % 10, and loads it. */
    static FashionMnist randomIdx(Path dir, int train, int test, int resize) throws IOException {
        Files.createDirectories(dir);
        for (String prefix : List.of("train", "t10k")) {
            int count = prefix.equals("train") ? train : test;
            byte[] labels = new byte[count];
            for (int i = 0; i < count; i++) {
                labels[i] = (byte) (i % 10);
            }
            IdxFixtures.write(dir.resolve(prefix + "-images-idx3-ubyte"), IdxFixtures.imagesBytes(IdxFixtures.IMAGES_MAGIC,
                    count, 28, 28, IdxFixtures.randomBytes(count * 784, count)), false);
            IdxFixtures.write(dir.resolve(prefix + "-labels-idx1-ubyte"), IdxFixtures.labelsBytes(IdxFixtures.LABELS_MAGIC,
                    count, labels), false);
        }
        return FashionMnist.load(new DataConfig(dir, 32, resize, null, null, Augmentation.NONE));
    }

    /** Returns the example index a written file carries in its name ({@code 00042.png}: 42). */
    static int index(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(0, name.indexOf('.')));
    }

    @Test
    void everyPictureIsTheIdxImageBitForBitAndGivesTheSameTensor() throws IOException {
        int resize = 64;
        try (FashionMnist idx = randomIdx(dir.resolve("idx"), 200, 100, resize)) {
            Path folder = dir.resolve("folder");
            FolderWriter.write(idx, folder, 10, false);
            try (ImageFolder pictures = ImageFolder.load(idx.config().withFolder(folder));
                    NDManager manager = NDManager.newBaseManager()) {
                assertEquals(200, pictures.train().size());
                assertEquals(100, pictures.validation().size());
                assertEquals(1, pictures.channels());
                assertEquals(List.of("0-T-shirt-top", "1-Trouser", "2-Pullover", "3-Dress", "4-Coat", "5-Sandal",
                        "6-Shirt", "7-Sneaker", "8-Bag", "9-Ankle-boot"), pictures.classNames());
                for (int i = 0; i < pictures.validation().size(); i++) {
                    int j = index(pictures.validationFiles().get(i));
                    assertEquals(idx.validation().label(j), pictures.validation().label(i));
                    try (Batch fromFolder = pictures.validationBatch(i, i + 1, manager);
                            Batch fromIdx = idx.validationBatch(j, j + 1, manager)) {
                        // the network's input: same resize, same scaling, to the bit
                        assertArrayEquals(fromIdx.getData().singletonOrThrow().toFloatArray(),
                                fromFolder.getData().singletonOrThrow().toFloatArray(), "validation example " + j);
                    }
                }
                byte[] idxPixels = idx.train().images().pixels();
                byte[] folderPixels = pictures.train().images().pixels();
                for (int i = 0; i < pictures.train().size(); i++) {
                    int j = index(pictures.trainFiles().get(i));
                    assertArrayEquals(java.util.Arrays.copyOfRange(idxPixels, j * 784, (j + 1) * 784),
                            java.util.Arrays.copyOfRange(folderPixels, i * 784, (i + 1) * 784), "training example " + j);
                    assertEquals(idx.train().label(j), pictures.train().label(i));
                }
            }
        }
    }

    @Test
    void picturesKeptInAFileAreThoseKeptInMemory() throws IOException {
        try (FashionMnist idx = randomIdx(dir.resolve("idx"), 120, 40, 32)) {
            Path folder = dir.resolve("folder");
            FolderWriter.write(idx, folder, 10, false);
            Files.write(folder.resolve("train/3-Dress/broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
            DataConfig config = idx.config().withFolder(folder);
            String before = System.getProperty("alexnet.pictureCache");
            try (ImageFolder inMemory = ImageFolder.load(config)) {
                System.setProperty("alexnet.pictureCache", "file");
                try (ImageFolder inFile = ImageFolder.load(config); NDManager manager = NDManager.newBaseManager()) {
                    assertTrue(inFile.train().images().inFile());
                    assertTrue(!inMemory.train().images().inFile());
                    assertThrows(IllegalStateException.class, () -> inFile.train().images().pixels());
                    assertEquals(inMemory.trainFiles(), inFile.trainFiles(), "the broken picture left out of both");
                    for (Split[] pair : new Split[][] {{inMemory.train(), inFile.train()},
                            {inMemory.validation(), inFile.validation()}}) {
                        assertEquals(pair[0].size(), pair[1].size());
                        for (int i = 0; i < pair[0].size(); i++) {
                            assertArrayEquals(pair[0].images().image(i), pair[1].images().image(i), pair[0].name() + i);
                            assertEquals(pair[0].label(i), pair[1].label(i));
                        }
                    }
                    try (ai.djl.training.dataset.Batch a = inMemory.trainBatches(1, 5, manager).next();
                            ai.djl.training.dataset.Batch b = inFile.trainBatches(1, 5, manager).next()) {
                        assertArrayEquals(a.getData().singletonOrThrow().toFloatArray(),
                                b.getData().singletonOrThrow().toFloatArray());
                    }
                }
            } finally {
                if (before == null) {
                    System.clearProperty("alexnet.pictureCache");
                } else {
                    System.setProperty("alexnet.pictureCache", before);
                }
            }
        }
    }

    @Test
    void withoutTrainAndValFoldersASeededShareOfEachClassIsHeldOut() throws IOException {
        for (String name : List.of("cat", "ant", "bee")) {
            for (int i = 0; i < 10; i++) {
                picture(dir.resolve("pets").resolve(name).resolve(i + ".png"), BufferedImage.TYPE_INT_RGB, i * 20);
            }
        }
        Files.writeString(dir.resolve("pets/cat/notes.txt"), "not a picture");
        Files.writeString(dir.resolve("pets/bee/.DS_Store"), "hidden");
        Files.createDirectories(dir.resolve("pets/.ipynb_checkpoints"));
        DataConfig config = DataConfig.of(8, 16).withFolder(dir.resolve("pets")).withValFraction(0.3);
        try (ImageFolder a = ImageFolder.load(config); ImageFolder b = ImageFolder.load(config)) {
            assertEquals(List.of("ant", "bee", "cat"), a.classNames(), "sorted folder names, hidden ones left out");
            assertEquals(9, a.validation().size(), "3 of each class's 10");
            assertEquals(21, a.train().size());
            assertEquals(a.validationFiles(), b.validationFiles(), "the same split every time");
            assertEquals(3, a.channels());
            assertTrue(a.notices().stream().anyMatch(n -> n.contains("skipped 1 file(s) that are not pictures")),
                    a.notices().toString());
            for (int i = 0; i < a.validation().size(); i++) {
                String className = a.validationFiles().get(i).getParent().getFileName().toString();
                assertEquals(a.classNames().indexOf(className), a.validation().label(i));
            }
        }
    }

    @Test
    void manyClassesKeepTheirLabelsPastOneByte() throws IOException {
        Path root = dir.resolve("many");
        for (int c = 0; c < 300; c++) {
            for (int i = 0; i < 2; i++) {
                picture(root.resolve(String.format("class-%03d", c)).resolve(i + ".png"), BufferedImage.TYPE_BYTE_GRAY, c % 256);
            }
        }
        try (ImageFolder data = ImageFolder.load(DataConfig.of(8, 4).withFolder(root).withValFraction(0.5))) {
            assertEquals(300, data.classNames().size());
            for (Split split : List.of(data.train(), data.validation())) {
                for (int i = 0; i < split.size(); i++) {
                    String folder = (split == data.train() ? data.trainFiles() : data.validationFiles()).get(i).getParent()
                            .getFileName().toString();
                    assertEquals(Integer.parseInt(folder.substring("class-".length())), split.label(i));
                }
            }
        }
    }

    @Test
    void modesAreConvertedAsPilDoes() throws IOException {
        Path root = dir.resolve("modes");
        // grey 8-bit value 100; 16-bit grey 0x6464 (100 * 257); a palette of greys; RGBA and RGB with the same colour
        picture(root.resolve("a/grey.png"), BufferedImage.TYPE_BYTE_GRAY, 100);
        BufferedImage sixteen = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
        fill(sixteen, 100 * 257);
        ImageIO.write(sixteen, "png", root.resolve("a/sixteen.png").toFile());
        byte[] greys = {(byte) 100, (byte) 100};
        BufferedImage palette = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(1, 2, greys, greys, greys));
        ImageIO.write(palette, "png", root.resolve("a/palette.png").toFile());
        picture(root.resolve("b/rgb.png"), BufferedImage.TYPE_INT_RGB, 0x336699);
        BufferedImage rgba = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                rgba.setRGB(x, y, 0x40336699); // a quarter opaque: the alpha is dropped, not blended
            }
        }
        ImageIO.write(rgba, "png", root.resolve("b/rgba.png").toFile());
        DataConfig grey = DataConfig.of(8, 4).withFolder(root).withChannels(1).withValFraction(0.5);
        try (ImageFolder data = ImageFolder.load(grey)) {
            for (Split split : List.of(data.train(), data.validation())) {
                for (int i = 0; i < split.size(); i++) {
                    // PIL's L = (R * 19595 + G * 38470 + B * 7471 + 0x8000) >> 16: 0x336699 gives 94
                    int expected = split.label(i) == 0 ? 100 : (0x33 * 19595 + 0x66 * 38470 + 0x99 * 7471 + 0x8000) >> 16;
                    assertEquals(expected, Byte.toUnsignedInt(split.images().pixels()[i * 16 + 5]), split.name() + " " + i);
                }
            }
        }
        try (ImageFolder data = ImageFolder.load(grey.withChannels(3))) {
            Split split = data.train();
            for (int i = 0; i < split.size(); i++) {
                byte[] p = split.images().pixels();
                int r = Byte.toUnsignedInt(p[i * 48 + 5]);
                int g = Byte.toUnsignedInt(p[i * 48 + 16 + 5]);
                int b = Byte.toUnsignedInt(p[i * 48 + 32 + 5]);
                assertEquals(split.label(i) == 0 ? List.of(100, 100, 100) : List.of(0x33, 0x66, 0x99), List.of(r, g, b));
            }
        }
    }

    @Test
    void corruptPicturesAreSkippedByPathAndLargeOnesResizedWhenRead() throws IOException {
        Path root = dir.resolve("mixed");
        for (int i = 0; i < 4; i++) {
            picture(root.resolve("a/" + i + ".png"), BufferedImage.TYPE_BYTE_GRAY, 10);
            picture(root.resolve("b/" + i + ".png"), BufferedImage.TYPE_BYTE_GRAY, 200);
        }
        BufferedImage big = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
        fill(big, 200);
        ImageIO.write(big, "png", root.resolve("b/big.png").toFile());
        Files.write(root.resolve("a/broken.png"), java.util.Arrays.copyOf(Files.readAllBytes(root.resolve("a/0.png")), 30));
        try (ImageFolder data = ImageFolder.load(DataConfig.of(8, 8).withFolder(root).withValFraction(0.25))) {
            assertEquals(9, data.train().size() + data.validation().size(), "the broken picture left out");
            assertTrue(data.notices().stream().anyMatch(n -> n.startsWith("skipped " + root.resolve("a/broken.png"))),
                    data.notices().toString());
            assertEquals(8, data.train().images().rows(), "pictures of several sizes are resized to the input when read");
            for (Split split : List.of(data.train(), data.validation())) {
                for (int i = 0; i < split.size(); i++) {
                    int value = Byte.toUnsignedInt(split.images().pixels()[i * 64 + 27]);
                    assertEquals(split.label(i) == 0 ? 10 : 200, value, "a flat picture stays flat when resized");
                }
            }
        }
    }

    @Test
    void badFoldersAreRefusedInOneLine() throws IOException {
        DataConfig base = DataConfig.of(8, 8);
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        assertEquals(file + ": not a folder", refusal(base.withFolder(file)));
        assertEquals(dir.resolve("nowhere") + ": no such folder", refusal(base.withFolder(dir.resolve("nowhere"))));
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertTrue(refusal(base.withFolder(empty)).endsWith(": no class folders (expected one sub-folder of pictures "
                + "per class)"));
        Path one = dir.resolve("one");
        picture(one.resolve("cat/a.png"), BufferedImage.TYPE_BYTE_GRAY, 1);
        picture(one.resolve("cat/b.png"), BufferedImage.TYPE_BYTE_GRAY, 1);
        assertTrue(refusal(base.withFolder(one)).contains("one class folder (cat); a classifier needs at least two"));
        Files.createDirectories(one.resolve("dog"));
        Files.writeString(one.resolve("dog/readme.txt"), "no pictures here");
        assertTrue(refusal(base.withFolder(one)).startsWith(one.resolve("dog") + ": no pictures"));
        Path split = dir.resolve("split");
        picture(split.resolve("train/cat/a.png"), BufferedImage.TYPE_BYTE_GRAY, 1);
        picture(split.resolve("train/dog/a.png"), BufferedImage.TYPE_BYTE_GRAY, 1);
        picture(split.resolve("val/cat/a.png"), BufferedImage.TYPE_BYTE_GRAY, 1);
        picture(split.resolve("val/eel/a.png"), BufferedImage.TYPE_BYTE_GRAY, 1);
        assertEquals(split + ": train/ and val/ hold different classes (only in train/: dog; only in val/: eel)",
                refusal(base.withFolder(split)));
    }

    private static String refusal(DataConfig config) {
        DataException e = assertThrows(DataException.class, () -> ImageFolder.load(config).close());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    private static void picture(Path file, int type, int value) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(4, 4, type);
        if (type == BufferedImage.TYPE_BYTE_GRAY) {
            fill(image, value);
        } else {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    image.setRGB(x, y, value);
                }
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }

    private static void fill(BufferedImage image, int value) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.getRaster().setSample(x, y, 0, value);
            }
        }
    }
}
