package dev.alexnet.weights;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.Networks;
import dev.alexnet.io.AtomicFiles;
import dev.alexnet.io.Digests;
import dev.alexnet.io.Json;
import dev.alexnet.io.Messages;
import dev.alexnet.model.Classifier;
import dev.alexnet.run.TrainingRun;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Weights in the chapter's PyTorch naming, as safetensors or NPZ files: written from a trained
 * network, read back into one.
 *
 * <p>DJL encodes and decodes the tensors ({@link NDList#encode(OutputStream, NDList.Encoding)},
 * {@link NDList#decode(NDManager, InputStream)}); this class maps the names ({@link TorchNames}),
 * adds the safetensors metadata DJL's writer lacks, and checks a file completely before a single
 * value reaches the network, so a bad file leaves the network as it was.
 */
public final class WeightsFile {

    /** Metadata key: the network's name ({@code alexnet}, {@code alexnet28}, …). */
    public static final String MODEL = "model";

    /** Metadata key: the side of the square input the weights were trained on. */
    public static final String INPUT_SIZE = "input_size";

    /** Metadata key: the class names, as a JSON array, in label order. */
    public static final String CLASSES = "classes";

    /** Metadata key: the input's channels, 1 (grey) or 3 (RGB). */
    public static final String CHANNELS = "channels";

    /** Metadata key: how a picture becomes the input ({@code fashion-mnist} or {@code resize}). */
    public static final String PREPROCESSING = "preprocessing";

    /** Metadata key: the version of this project that wrote the file. */
    public static final String VERSION = "alexnet_version";

    private WeightsFile() {}

    /** Returns the metadata an export of {@code config} carries. */
    public static Map<String, String> metadata(ModelConfig config) {
        Map<String, String> metadata = new LinkedHashMap<>();
        // safetensors.torch.save_file writes this marker; Hugging Face loaders look for it.
        metadata.put("format", "pt");
        metadata.put(MODEL, config.name());
        metadata.put(INPUT_SIZE, Integer.toString(config.inputSize()));
        metadata.put(CLASSES, Json.compact().toJson(config.classNames()));
        metadata.put(CHANNELS, Integer.toString(config.channels()));
        metadata.put(PREPROCESSING, config.preprocessing());
        String version = WeightsFile.class.getPackage().getImplementationVersion();
        metadata.put(VERSION, version == null ? "development" : version);
        return metadata;
    }

    /**
     * Writes every tensor of {@code model}'s PyTorch state dict to {@code out} in {@code format}
     * (float32 parameters, little-endian; the file is whole or absent).
     */
    public static void export(Classifier model, Path out, WeightsFormat format) {
        SequentialBlock network = initialized(model);
        try (NDManager manager = model.model().getNDManager().newSubManager()) {
            NDList tensors = new NDList();
            for (TorchNames.Entry entry : TorchNames.of(network)) {
                NDArray tensor = entry.parameter() == null
                        ? manager.create(0L) // PyTorch's step counter, unused with its default momentum
                        : entry.parameter().getArray().duplicate();
                tensor.attach(manager);
                tensor.setName(entry.name());
                tensors.add(tensor);
            }
            if (format == WeightsFormat.NPZ) {
                AtomicFiles.write(out, stream -> tensors.encode(stream, format.encoding()));
            } else {
                writeSafetensors(tensors, metadata(model.config()), out);
            }
        }
    }

    /**
     * Lets DJL write the tensors, then rewrites its header with our metadata and padding: DJL's
     * bytes are kept as they are, only the JSON in front of them changes.
     */
    private static void writeSafetensors(NDList tensors, Map<String, String> metadata, Path out) {
        Path plain = null;
        try {
            plain = AtomicFiles.newTemporary(out.toAbsolutePath().getParent(), out.getFileName().toString());
            try (OutputStream stream = Files.newOutputStream(plain)) {
                tensors.encode(stream, WeightsFormat.SAFETENSORS.encoding());
            }
            Path written = plain;
            AtomicFiles.write(out, stream -> {
                try (FileChannel source = FileChannel.open(written, StandardOpenOption.READ)) {
                    InputStream in = new BufferedInputStream(Channels.newInputStream(source));
                    SafetensorsHeader header = SafetensorsHeader.read(in, source.size());
                    header.writeWith(metadata, stream);
                    in.transferTo(stream);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        } finally {
            try {
                if (plain != null) {
                    Files.deleteIfExists(plain);
                }
            } catch (IOException e) {
                // Only a leftover hidden file; the export itself succeeded or already failed loudly.
            }
        }
    }

    /**
     * A weights file read into memory.
     *
     * @param format which format it was
     * @param metadata its safetensors metadata (empty for NPZ)
     * @param tensors its tensors, each named
     */
    public record Loaded(WeightsFormat format, Map<String, String> metadata, NDList tensors) implements AutoCloseable {
        @Override
        public void close() {
            tensors.close();
        }
    }

    /**
     * Reads a safetensors or NPZ file, telling them apart by their first bytes.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    public static Loaded read(Path file, NDManager manager) {
        try {
            Probe probe = probe(file);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
                NDList tensors = decode(manager, in, probe.format());
                for (NDArray tensor : tensors) {
                    if (tensor.getName() == null) {
                        tensors.close();
                        throw new IllegalArgumentException("an unnamed tensor (arr_N): not a state dict");
                    }
                }
                return new Loaded(probe.format(), probe.metadata(), tensors);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw failure(file, e);
        }
    }

    /** A file's format and, for safetensors, its checked header's metadata. */
    private record Probe(WeightsFormat format, Map<String, String> metadata) {}

    /** Tells the format by the first bytes and, for safetensors, reads and checks the header, in one pass. */
    private static Probe probe(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            in.mark(2);
            byte[] start = in.readNBytes(2);
            in.reset();
            WeightsFormat format = WeightsFormat.sniff(start, start.length);
            Map<String, String> metadata = format == WeightsFormat.NPZ ? Map.of()
                    : SafetensorsHeader.read(in, Files.size(file)).metadata();
            return new Probe(format, metadata);
        }
    }

    /** Turns a reading failure into one line naming the file. */
    private static IllegalArgumentException failure(Path file, Exception e) {
        if (e instanceof NoSuchFileException) {
            return new IllegalArgumentException(file + ": no such file");
        }
        if (e instanceof IOException) {
            return new IllegalArgumentException(file + ": cannot read (" + e.getMessage() + ")");
        }
        return new IllegalArgumentException(file + ": " + Messages.firstLine(e), e);
    }

    private static NDList decode(NDManager manager, InputStream in, WeightsFormat format) {
        try {
            return NDList.decode(manager, in);
        } catch (RuntimeException e) {
            // DJL's decoders fail with assorted exceptions on a damaged zip or array header.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("corrupt " + format.label() + " file (" + Messages.firstLine(cause) + ")", e);
        }
    }

    /**
     * Returns the configuration to load {@code file} into: network {@code requestedModel} (if null,
     * the one the file's metadata names, else the book's AlexNet), input
     * {@code resize} if given, else the size the file was exported for, else the network's own.
     *
     * @throws IllegalArgumentException if the file says it holds another network
     */
    public static ModelConfig configFor(Path file, String requestedModel, Integer resize) {
        Map<String, String> metadata = readMetadata(file);
        String saved = metadata.get(MODEL);
        String modelName = requestedModel != null ? requestedModel : saved != null ? saved : Networks.ALEXNET;
        if (!Networks.names().contains(modelName)) {
            throw new IllegalArgumentException(file + ": metadata names an unknown network '" + modelName + "'");
        }
        if (saved != null && !saved.equals(modelName)) {
            throw new IllegalArgumentException(file + ": holds " + saved + " weights, not " + modelName
                    + " (use --model " + saved + ")");
        }
        int size = resize != null ? resize
                : metadata.containsKey(INPUT_SIZE) ? parseSize(file, metadata.get(INPUT_SIZE))
                : Networks.naturalInputSize(modelName);
        List<String> classes = metadata.containsKey(CLASSES) ? parseClasses(file, metadata.get(CLASSES))
                : FashionMnist.CLASS_NAMES;
        int channels = metadata.containsKey(CHANNELS) ? parseChannels(file, metadata.get(CHANNELS)) : 1;
        try {
            return new ModelConfig(modelName, classes.size(), size, channels, classes, metadata.get(PREPROCESSING));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": metadata does not describe a network (" + e.getMessage() + ")");
        }
    }

    private static List<String> parseClasses(Path file, String text) {
        try {
            List<String> names = new ArrayList<>();
            for (com.google.gson.JsonElement element : com.google.gson.JsonParser.parseString(text).getAsJsonArray()) {
                names.add(element.getAsString());
            }
            return names;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": metadata '" + CLASSES + "' is not a JSON list of names");
        }
    }

    private static int parseChannels(Path file, String text) {
        if (!text.equals("1") && !text.equals("3")) {
            throw new IllegalArgumentException(file + ": metadata '" + CHANNELS + "' is " + text + ", not 1 or 3");
        }
        return Integer.parseInt(text);
    }

    private static Map<String, String> readMetadata(Path file) {
        try {
            return probe(file).metadata();
        } catch (IOException | IllegalArgumentException e) {
            throw failure(file, e);
        }
    }

    private static int parseSize(Path file, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": metadata input_size '" + text + "' is not a number");
        }
    }

    /**
     * Puts the weights in {@code file} into {@code model}'s network. Every tensor is checked first
     * (names, shapes, types, the network named in the metadata): on any mismatch nothing is copied.
     *
     * @throws IllegalArgumentException naming the file and the first tensor that does not fit
     */
    public static void loadInto(Classifier model, Path file) {
        loadInto(model, file, false);
    }

    /**
     * Puts the weights in {@code file} into {@code model}'s network, as {@link #loadInto(Classifier, Path)} does;
     * with {@code replaceLast}, a last layer that scores another number of classes than the model's is left out
     * (it keeps the network's own initialization), for fine-tuning on other classes.
     *
     * @return what was left out, in words, or {@code null} when every tensor was loaded
     */
    public static String loadInto(Classifier model, Path file, boolean replaceLast) {
        SequentialBlock network = initialized(model);
        List<TorchNames.Entry> names = TorchNames.of(network);
        NpzSizes.check(file, model.config(), names);
        try (NDManager manager = model.model().getNDManager().newSubManager();
                Loaded loaded = read(file, manager)) {
            String saved = loaded.metadata().get(MODEL);
            if (saved != null && !saved.equals(model.config().name())) {
                throw new IllegalArgumentException(file + ": holds " + saved + " weights, not "
                        + model.config().name());
            }
            List<TorchNames.Entry> expected = new ArrayList<>(names);
            Map<String, NDArray> byName = byName(file, loaded.tensors());
            String replaced = replaceLast ? leaveOutLastLayer(expected, byName) : null;
            check(file, model.config(), expected, byName);
            for (TorchNames.Entry entry : expected) {
                NDArray source = byName.get(entry.name());
                if (entry.parameter() != null) {
                    entry.parameter().getArray().set(source.toByteBuffer());
                }
            }
            return replaced;
        }
    }

    /**
     * Takes the last layer's weight and bias out of both lists when the file's score another number of classes
     * (its other dimensions the same), and says so; else leaves both lists as they are and returns null.
     */
    private static String leaveOutLastLayer(List<TorchNames.Entry> expected, Map<String, NDArray> byName) {
        List<TorchNames.Entry> parameters = expected.stream().filter(e -> e.parameter() != null).toList();
        if (parameters.size() < 2) {
            return null;
        }
        TorchNames.Entry weight = parameters.get(parameters.size() - 2);
        TorchNames.Entry bias = parameters.get(parameters.size() - 1);
        NDArray fileWeight = byName.get(weight.name());
        NDArray fileBias = byName.get(bias.name());
        if (fileWeight == null || fileBias == null || fileWeight.getShape().dimension() != 2
                || weight.shape().dimension() != 2 || fileWeight.getShape().get(1) != weight.shape().get(1)
                || fileWeight.getShape().get(0) == weight.shape().get(0)
                || fileBias.getShape().size() != fileWeight.getShape().get(0)) {
            return null;
        }
        expected.remove(weight);
        expected.remove(bias);
        byName.remove(weight.name());
        byName.remove(bias.name());
        return "the last layer (" + weight.name() + ", " + bias.name() + ") scores " + fileWeight.getShape().get(0)
                + " classes in the file and " + weight.shape().get(0) + " here: it starts from the network's seeded "
                + "initialization, every other layer from the file";
    }

    /**
     * Builds the network the metadata of {@code file} names (else the book's AlexNet), at the input size
     * it names, on {@code device}, with the weights in it.
     */
    public static Classifier loadModel(Path file, Device device) {
        return loadModel(file, configFor(file, null, null), device);
    }

    /** Builds the network {@code config} names on {@code device} with the weights in {@code file}. */
    public static Classifier loadModel(Path file, ModelConfig config, Device device) {
        Classifier model = Classifier.forInference(config, device);
        try {
            loadInto(model, file);
            // used, never trained: no parameter takes gradients, so no forward pass can record a graph
            model.block().freezeParameters(true);
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Returns the weights in {@code file} as a new run's starting point: loaded (and checked) into
     * the run's network before its directory is made, recorded in its manifest with their digest.
     */
    public static TrainingRun.InitialWeights initialWeights(Path file) {
        return new TrainingRun.InitialWeights(describe(file), model -> loadInto(model, file));
    }

    /**
     * Returns the weights in {@code file} as a new run's starting point for fine-tuning: as
     * {@link #initialWeights(Path)}, but a last layer for another number of classes is replaced by a fresh one,
     * which {@code notice} hears about.
     */
    public static TrainingRun.InitialWeights initialWeights(Path file, java.util.function.Consumer<String> notice) {
        return new TrainingRun.InitialWeights(describe(file), model -> {
            String replaced = loadInto(model, file, true);
            if (replaced != null) {
                notice.accept(replaced);
            }
        });
    }

    /** Returns how a run's manifest names {@code file}: its path and the SHA-256 of its bytes. */
    public static String describe(Path file) {
        try {
            return file.toAbsolutePath() + " (sha256 " + Digests.sha256Hex(file) + ")";
        } catch (IOException e) {
            throw failure(file, e);
        }
    }

    private static Map<String, NDArray> byName(Path file, NDList tensors) {
        Map<String, NDArray> byName = new HashMap<>();
        for (NDArray tensor : tensors) {
            if (byName.put(tensor.getName(), tensor) != null) {
                throw new IllegalArgumentException(file + ": tensor " + tensor.getName() + " appears twice");
            }
        }
        return byName;
    }

    private static void check(Path file, ModelConfig config, List<TorchNames.Entry> expected,
            Map<String, NDArray> byName) {
        List<String> problems = new ArrayList<>();
        Set<String> known = new LinkedHashSet<>();
        String network = config.name() + " at " + config.inputSize() + "x" + config.inputSize();
        for (TorchNames.Entry entry : expected) {
            known.add(entry.name());
            NDArray tensor = byName.get(entry.name());
            if (tensor == null) {
                // PyTorch's step counter carries nothing DJL uses, so files without it are fine.
                if (entry.parameter() != null) {
                    problems.add("missing tensor " + entry.name() + " (" + network + " needs it)");
                }
                continue;
            }
            Shape shape = tensor.getShape();
            if (!shape.equals(entry.shape())) {
                problems.add("tensor " + entry.name() + " has shape " + shape + ", " + network + " needs "
                        + entry.shape());
            } else if (tensor.getDataType() != entry.dataType()
                    && !(entry.parameter() == null && tensor.getDataType().isInteger())) {
                problems.add("tensor " + entry.name() + " is " + tensor.getDataType() + ", not " + entry.dataType());
            } else if (tensor.getDataType().isFloating()
                    && (tensor.isNaN().any().getBoolean() || tensor.isInfinite().any().getBoolean())) {
                problems.add("tensor " + entry.name() + " holds NaN or infinite values");
            }
        }
        for (String name : byName.keySet()) {
            if (!known.contains(name)) {
                problems.add("unexpected tensor " + name + " (" + config.name() + " has no such layer)");
            }
        }
        if (!problems.isEmpty()) {
            String more = problems.size() == 1 ? "" : " (and " + (problems.size() - 1) + " more)";
            throw new IllegalArgumentException(file + ": " + problems.get(0) + more + "; nothing was loaded");
        }
    }

    /** Returns the model's network with its parameters allocated (initialized if it was not yet). */
    private static SequentialBlock initialized(Classifier model) {
        SequentialBlock network = (SequentialBlock) model.block();
        if (!network.isInitialized()) {
            network.initialize(model.model().getNDManager(), DataType.FLOAT32,
                    Networks.inputShape(model.config(), 1));
        }
        return network;
    }
}
