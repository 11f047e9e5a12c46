package dev.alexnet.weights;

import dev.alexnet.train.RunConfig;
import dev.alexnet.model.OptimizerConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.Networks;
import dev.alexnet.model.Classifier;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class WeightsFileTest {

    // alexnet28 has batch normalization, whose running statistics must travel too.
    private static final ModelConfig NATIVE = new ModelConfig(Networks.ALEXNET28, 10, 28);
    private static final ModelConfig LENET = new ModelConfig(Networks.LENET, 10, 28);

    @TempDir
    Path dir;

    @Test
    void alexNetTensorsCarryTheBooksSequentialIndices() {
        try (Classifier model = initialized(RunConfig.book().model(), 1)) {
            Map<String, Shape> shapes = shapes(model);
            List<String> expected = new ArrayList<>();
            for (int index : new int[] {0, 3, 6, 8, 10, 14, 17, 20}) {
                expected.add("net." + index + ".weight");
                expected.add("net." + index + ".bias");
            }
            assertEquals(expected, new ArrayList<>(shapes.keySet()));
            assertEquals(new Shape(96, 1, 11, 11), shapes.get("net.0.weight"));
            assertEquals(new Shape(256, 96, 5, 5), shapes.get("net.3.weight"));
            assertEquals(new Shape(384, 256, 3, 3), shapes.get("net.6.weight"));
            assertEquals(new Shape(4096, 6400), shapes.get("net.14.weight"));
            assertEquals(new Shape(4096), shapes.get("net.17.bias"));
            assertEquals(new Shape(10, 4096), shapes.get("net.20.weight"));
        }
    }

    @Test
    void otherNetworksFollowTheSameConvention() {
        try (Classifier lenet = initialized(LENET, 1);
                Classifier nodropout = initialized(new ModelConfig(Networks.ALEXNET_NODROPOUT, 10, 65), 1);
                Classifier native28 = initialized(NATIVE, 1)) {
            Map<String, Shape> lenetShapes = shapes(lenet);
            assertEquals(List.of("net.0.weight", "net.0.bias", "net.3.weight", "net.3.bias", "net.7.weight",
                    "net.7.bias", "net.9.weight", "net.9.bias", "net.11.weight", "net.11.bias"),
                    new ArrayList<>(lenetShapes.keySet()));
            assertEquals(new Shape(120, 400), lenetShapes.get("net.7.weight"));
            // Without dropout layers the dense layers sit two places earlier in the sequential.
            assertTrue(shapes(nodropout).keySet().containsAll(List.of("net.14.weight", "net.16.weight", "net.18.weight")));
            Map<String, Shape> nativeShapes = shapes(native28);
            assertEquals(List.of("net.0.weight", "net.0.bias", "net.1.weight", "net.1.bias", "net.1.running_mean",
                    "net.1.running_var", "net.1.num_batches_tracked", "net.4.weight"),
                    new ArrayList<>(nativeShapes.keySet()).subList(0, 8));
            assertEquals(new Shape(), nativeShapes.get("net.1.num_batches_tracked"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"alexnet", "alexnet-nodropout", "alexnet-small", "alexnet28", "lenet", "lenet-modern"})
    void everyParameterOfEveryNetworkHasExactlyOneName(String name) {
        ModelConfig config = new ModelConfig(name, 10, Networks.naturalInputSize(name));
        try (Classifier model = initialized(config, 1)) {
            List<TorchNames.Entry> entries = TorchNames.of((SequentialBlock) model.block());
            List<Parameter> named = entries.stream().map(TorchNames.Entry::parameter).filter(p -> p != null).toList();
            List<Parameter> all = model.block().getParameters().values();
            assertEquals(all.size(), named.size());
            assertTrue(named.containsAll(all));
            assertEquals(entries.size(), entries.stream().map(TorchNames.Entry::name).distinct().count());
            for (TorchNames.Entry entry : entries) {
                assertTrue(entry.name().matches("net\\.\\d+\\.(weight|bias|running_mean|running_var|num_batches_tracked)"),
                        entry.name());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(WeightsFormat.class)
    void roundTripGivesBitIdenticalPredictions(WeightsFormat format) {
        Path file = dir.resolve("weights." + format.label());
        try (Classifier original = initialized(NATIVE, 1);
                Classifier copy = initialized(NATIVE, 2)) {
            stirRunningStatistics(original);
            WeightsFile.export(original, file, format);

            WeightsFile.loadInto(copy, file);

            for (Pair<String, Parameter> pair : original.block().getParameters()) {
                assertArrayEquals(pair.getValue().getArray().toFloatArray(),
                        copy.block().getParameters().get(pair.getKey()).getArray().toFloatArray(), pair.getKey());
            }
            assertArrayEquals(predict(original), predict(copy));
        }
    }

    @Test
    void safetensorsHeaderFollowsTheSpecification() throws IOException {
        Path file = dir.resolve("lenet.safetensors");
        try (Classifier model = initialized(LENET, 1)) {
            WeightsFile.export(model, file, WeightsFormat.SAFETENSORS);
        }
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "padded so that the data is 8-byte aligned");
        JsonObject header = JsonParser.parseString(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8))
                .getAsJsonObject();
        JsonObject conv = header.getAsJsonObject("net.0.weight");
        assertEquals("F32", conv.get("dtype").getAsString());
        assertEquals("[6,1,5,5]", conv.get("shape").toString());
        long begin = conv.getAsJsonArray("data_offsets").get(0).getAsLong();
        long end = conv.getAsJsonArray("data_offsets").get(1).getAsLong();
        assertEquals(6 * 25 * 4, end - begin);
        long dataBytes = header.entrySet().stream().filter(e -> !e.getKey().equals("__metadata__"))
                .mapToLong(e -> e.getValue().getAsJsonObject().getAsJsonArray("data_offsets").get(1).getAsLong())
                .max().orElseThrow();
        assertEquals(61_706 * 4, dataBytes);
        assertEquals(8 + headerLength + dataBytes, bytes.length);
        // The first float of net.0.weight, read by hand as little-endian, is the network's.
        try (Classifier model = initialized(LENET, 1)) {
            float first = ByteBuffer.wrap(bytes, (int) (8 + headerLength + begin), 4).order(ByteOrder.LITTLE_ENDIAN)
                    .getFloat();
            assertEquals(model.block().getParameters().valueAt(0).getArray().toFloatArray()[0], first);
        }
        JsonObject metadata = header.getAsJsonObject("__metadata__");
        assertEquals("lenet", metadata.get("model").getAsString());
        assertEquals("28", metadata.get("input_size").getAsString());
        assertEquals("pt", metadata.get("format").getAsString());
        assertTrue(metadata.get("classes").getAsString().contains("\"T-shirt/top\""));
        assertTrue(metadata.has("alexnet_version"));
    }

    @Test
    void aFileWithoutMetadataAsPyTorchWritesItLoads() throws IOException {
        Path file = dir.resolve("from-pytorch.safetensors");
        float[] expected;
        try (Classifier model = initialized(LENET, 1); NDManager manager = NDManager.newBaseManager()) {
            writeDjl(file, manager, model, entries -> { });
            expected = predict(model);
        }
        assertEquals(new ModelConfig(Networks.ALEXNET, 10, 224), WeightsFile.configFor(file, null, null),
                "no metadata: the book's network at its own size");
        try (Classifier copy = WeightsFile.loadModel(file, LENET, Device.cpu())) {
            assertArrayEquals(expected, predict(copy));
        }
    }

    @Test
    void configForReadsTheNetworkFromMetadataAndRefusesAnother() {
        Path file = dir.resolve("native.safetensors");
        try (Classifier model = initialized(NATIVE, 1)) {
            WeightsFile.export(model, file, WeightsFormat.SAFETENSORS);
        }
        assertEquals(NATIVE, WeightsFile.configFor(file, null, null));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> WeightsFile.configFor(file, Networks.LENET, null));
        assertEquals(file + ": holds alexnet28 weights, not lenet (use --model alexnet28)", refused.getMessage());
        try (Classifier lenet = initialized(LENET, 1)) {
            IllegalArgumentException notLoaded = assertThrows(IllegalArgumentException.class,
                    () -> WeightsFile.loadInto(lenet, file));
            assertTrue(notLoaded.getMessage().contains("holds alexnet28 weights, not lenet"), notLoaded.getMessage());
        }
    }

    @Test
    void missingExtraAndMisShapedTensorsAreNamedAndNothingIsLoaded() throws IOException {
        try (Classifier source = initialized(LENET, 1); Classifier target = initialized(LENET, 2);
                NDManager manager = NDManager.newBaseManager()) {
            float[] before = predict(target);

            Path missing = dir.resolve("missing.safetensors");
            writeDjl(missing, manager, source, entries -> entries.remove("net.9.bias"));
            assertRefused(target, missing, "missing tensor net.9.bias (lenet at 28x28 needs it); nothing was loaded");

            Path extra = dir.resolve("extra.safetensors");
            writeDjl(extra, manager, source, entries -> entries.put("net.12.weight", manager.zeros(new Shape(2, 2))));
            assertRefused(target, extra, "unexpected tensor net.12.weight (lenet has no such layer); nothing was loaded");

            // The last tensor is the wrong one: everything before it would fit.
            Path shaped = dir.resolve("shaped.npz");
            writeDjl(shaped, manager, source, entries -> entries.put("net.11.bias", manager.zeros(new Shape(11))));
            assertRefused(target, shaped, "tensor net.11.bias has shape (11), lenet at 28x28 needs (10); nothing was loaded");

            Path typed = dir.resolve("typed.safetensors");
            writeDjl(typed, manager, source,
                    entries -> entries.put("net.0.bias", manager.zeros(new Shape(6), DataType.FLOAT64)));
            assertRefused(target, typed, "tensor net.0.bias is float64, not float32; nothing was loaded");

            assertArrayEquals(before, predict(target), "the network is as it was");
        }
    }

    @Test
    void truncatedForeignAndCorruptFilesAreRefusedInOneLine() throws IOException {
        Path good = dir.resolve("good.safetensors");
        Path goodNpz = dir.resolve("good.npz");
        try (Classifier model = initialized(LENET, 1)) {
            WeightsFile.export(model, good, WeightsFormat.SAFETENSORS);
            WeightsFile.export(model, goodNpz, WeightsFormat.NPZ);
        }
        byte[] bytes = Files.readAllBytes(good);
        Path truncated = Files.write(dir.resolve("truncated.safetensors"), Arrays.copyOf(bytes, bytes.length - 100));
        Path text = Files.writeString(dir.resolve("notes.safetensors"), "these are not weights, just some words\n");
        Path tiny = Files.write(dir.resolve("tiny.safetensors"), new byte[] {1, 2, 3});
        byte[] npz = Files.readAllBytes(goodNpz);
        Path cutNpz = Files.write(dir.resolve("cut.npz"), Arrays.copyOf(npz, npz.length / 2));
        byte[] garbled = bytes.clone();
        garbled[12] = '#';
        Path badJson = Files.write(dir.resolve("garbled.safetensors"), garbled);

        try (Classifier target = initialized(LENET, 2)) {
            assertRefused(target, truncated, "truncated: the header promises " + bytes.length + " bytes, the file has "
                    + (bytes.length - 100));
            assertRefused(target, text, "not a safetensors file");
            assertRefused(target, tiny, "not a safetensors file (only 3 bytes)");
            assertRefused(target, cutNpz, "corrupt npz file");
            assertRefused(target, badJson, "corrupt safetensors header");
            assertRefused(target, dir.resolve("absent.safetensors"), "no such file");
        }
    }

    private static void assertRefused(Classifier target, Path file, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeightsFile.loadInto(target, file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    /** Writes the model's state dict with DJL alone, as a file from elsewhere would be: no metadata. */
    private static void writeDjl(Path file, NDManager manager, Classifier model, Consumer<Map<String, NDArray>> edit)
            throws IOException {
        Map<String, NDArray> entries = new LinkedHashMap<>();
        for (TorchNames.Entry entry : TorchNames.of((SequentialBlock) model.block())) {
            if (entry.parameter() != null) {
                entries.put(entry.name(), entry.parameter().getArray().duplicate());
            }
        }
        edit.accept(entries);
        NDList list = new NDList();
        entries.forEach((name, array) -> {
            array.attach(manager);
            array.setName(name);
            list.add(array);
        });
        WeightsFormat format = file.toString().endsWith(".npz") ? WeightsFormat.NPZ : WeightsFormat.SAFETENSORS;
        try (OutputStream out = Files.newOutputStream(file)) {
            list.encode(out, format.encoding());
        }
    }

    private static Classifier initialized(ModelConfig config, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        Classifier model = new Classifier(config, OptimizerConfig.sgd(0.01f), Device.cpu());
        model.block().initialize(model.model().getNDManager(), DataType.FLOAT32, Networks.inputShape(config, 1));
        return model;
    }

    private static Map<String, Shape> shapes(Classifier model) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        TorchNames.of((SequentialBlock) model.block()).forEach(e -> shapes.put(e.name(), e.shape()));
        return shapes;
    }

    /** Gives batch normalization running statistics that differ from their initial zeros and ones. */
    private static void stirRunningStatistics(Classifier model) {
        try (NDManager manager = model.model().getNDManager().newSubManager()) {
            NDArray input = manager.randomUniform(0, 1, Networks.inputShape(model.config(), 8));
            model.block().forward(new ParameterStore(manager, false), new NDList(input), true);
        }
    }

    private static float[] predict(Classifier model) {
        try (NDManager manager = model.model().getNDManager().newSubManager()) {
            Engine.getInstance().setRandomSeed(7);
            NDArray input = manager.randomUniform(0, 1, Networks.inputShape(model.config(), 4));
            return model.block().forward(new ParameterStore(manager, false), new NDList(input), false)
                    .singletonOrThrow().toFloatArray();
        }
    }
}
