package dev.alexnet.run;

import dev.alexnet.io.Digests;
import dev.alexnet.io.Json;
import dev.alexnet.io.AtomicFiles;
import ai.djl.MalformedModelException;
import ai.djl.nn.Block;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.alexnet.model.Classifier;
import dev.alexnet.train.StatefulOptimizer;
import java.util.List;
import dev.alexnet.train.RunConfig;
import dev.alexnet.train.TrainingState;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * One checkpoint file: a JSON header (configuration, training state, optimizer state) followed by
 * the network's parameters in DJL's encoding, sealed by the SHA-256 of everything before it.
 *
 * <p>Layout: {@code "ALEXNETCKPT\n"}, format version (int), header length (int), header (UTF-8
 * JSON), parameters, optimizer state (a parameter count, 0 for the book's plain SGD; then per parameter,
 * in the network's order: whether it has state, how many arrays (from format 3 on; format 2 always
 * held Adam's two), the arrays — Adam's two moment estimates, SGD's momentum buffer — and its update
 * count), 32-byte SHA-256. A truncated or altered file fails the seal and is refused.
 */
public final class CheckpointFile {

    static final byte[] MAGIC = "ALEXNETCKPT\n".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT_VERSION = 3;
    /** The format before SGD kept state: each parameter's state was Adam's two arrays, without a count. */
    static final int FORMAT_ADAM_ONLY = 2;
    private static final int DIGEST_BYTES = 32;

    /**
     * What a checkpoint says besides the parameters.
     *
     * @param config the run's full configuration
     * @param state where the run was
     * @param optimizer the optimizer's state
     * @param reason why it was written (epoch end, step interval, stop)
     * @param savedAt when it was written
     */
    public record Header(RunConfig config, TrainingState state, OptimizerState optimizer, String reason,
            String savedAt) {}

    /**
     * The optimizer's state. Plain SGD keeps none besides its learning rate and the number of
     * updates it has made; both are recorded so that a resumed run can be checked and explained.
     *
     * @param name the optimizer
     * @param learningRate its learning rate
     * @param momentum its momentum (0: none)
     * @param updates how many updates it has made
     */
    public record OptimizerState(String name, float learningRate, float momentum, long updates) {}

    private CheckpointFile() {}

    /**
     * Writes a checkpoint of {@code model} and {@code optimizer} (Adam's moments; nothing for plain
     * SGD) at {@code state} to {@code target}, atomically.
     */
    public static void write(Path target, RunConfig config, TrainingState state, Classifier model, Optimizer optimizer,
            String reason) {
        write(target, config, state, model, optimizer, reason, UnaryOperator.identity());
    }

    /** Like {@link #write(Path, RunConfig, TrainingState, Classifier, Optimizer, String)}, through {@code wrap} (for tests). */
    static void write(Path target, RunConfig config, TrainingState state, Classifier model, Optimizer optimizer,
            String reason, UnaryOperator<OutputStream> wrap) {
        Header header = new Header(config, state,
                new OptimizerState(config.optimizer().name(), config.optimizer().learningRate(), 0f, state.globalStep()),
                reason, Instant.now().toString());
        byte[] json = Json.compact().toJson(header).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(target, out -> {
            MessageDigest digest = Digests.newSha256();
            DataOutputStream data = new DataOutputStream(new DigestOutputStream(nonClosing(out), digest));
            data.write(MAGIC);
            data.writeInt(FORMAT_VERSION);
            data.writeInt(json.length);
            data.write(json);
            model.block().saveParameters(data);
            writeOptimizerState(model, optimizer instanceof StatefulOptimizer stateful ? stateful : null, data);
            data.flush();
            out.write(digest.digest());
        }, wrap);
    }

    /** Writes each parameter's optimizer state and update count; a parameter count of zero for the book's plain SGD. */
    private static void writeOptimizerState(Classifier model, StatefulOptimizer optimizer, DataOutputStream out)
            throws IOException {
        List<Parameter> parameters = parameters(model);
        out.writeInt(optimizer == null ? 0 : parameters.size());
        if (optimizer == null) {
            return;
        }
        for (Parameter parameter : parameters) {
            NDArray[] state = optimizer.state(parameter.getId());
            out.writeBoolean(state != null);
            if (state != null) {
                out.writeInt(state.length);
                for (NDArray array : state) {
                    writeArray(out, array);
                }
                out.writeInt(optimizer.steps(parameter.getId()));
            }
        }
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] bytes = array.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static List<Parameter> parameters(Classifier model) {
        List<Parameter> list = new java.util.ArrayList<>();
        for (Pair<String, Parameter> pair : model.block().getParameters()) {
            list.add(pair.getValue());
        }
        return list;
    }

    /** Reads only the header, without checking the seal; cheap, for choosing which checkpoints to keep. */
    public static Header readHeader(Path file) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException(file + ": not a checkpoint of this program");
            }
            in.readInt();
            return parseHeader(file, in.readNBytes(checkedLength(file, in.readInt(), Files.size(file))));
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read checkpoint (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads and verifies a whole checkpoint.
     *
     * @throws IllegalArgumentException if it is missing, truncated, altered or not a checkpoint
     */
    public static Loaded read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": checkpoint not found");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read checkpoint (" + e.getMessage() + ")", e);
        }
        int minimum = MAGIC.length + 8 + DIGEST_BYTES;
        if (bytes.length < minimum || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException(file + ": not a checkpoint of this program");
        }
        MessageDigest digest = Digests.newSha256();
        digest.update(bytes, 0, bytes.length - DIGEST_BYTES);
        byte[] seal = Arrays.copyOfRange(bytes, bytes.length - DIGEST_BYTES, bytes.length);
        if (!MessageDigest.isEqual(digest.digest(), seal)) {
            throw new IllegalArgumentException(file + ": checkpoint is truncated or corrupt (checksum mismatch)");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, MAGIC.length, 8);
        int version = buffer.getInt();
        if (version != FORMAT_VERSION && version != FORMAT_ADAM_ONLY) {
            throw new IllegalArgumentException(file + ": checkpoint format " + version + ", expected "
                    + FORMAT_ADAM_ONLY + " or " + FORMAT_VERSION);
        }
        int headerLength = checkedLength(file, buffer.getInt(), bytes.length);
        int headerStart = MAGIC.length + 8;
        Header header = parseHeader(file, Arrays.copyOfRange(bytes, headerStart, headerStart + headerLength));
        int paramsStart = headerStart + headerLength;
        return new Loaded(file, version, header, bytes, paramsStart, bytes.length - DIGEST_BYTES - paramsStart);
    }

    /** A verified checkpoint, its parameters not yet in a network. */
    public static final class Loaded {
        private final Path file;
        private final int version;
        private final Header header;
        private final byte[] bytes;
        private final int paramsStart;
        private final int paramsLength;

        Loaded(Path file, int version, Header header, byte[] bytes, int paramsStart, int paramsLength) {
            this.file = file;
            this.version = version;
            this.header = header;
            this.bytes = bytes;
            this.paramsStart = paramsStart;
            this.paramsLength = paramsLength;
        }

        /** Returns the file read. */
        public Path file() {
            return file;
        }

        /** Returns the header. */
        public Header header() {
            return header;
        }

        /**
         * Puts the parameters into {@code model}'s network, which must be the configured one and not
         * yet initialized, and returns what puts the saved optimizer state into the optimizer that
         * will continue the run.
         *
         * @throws IllegalArgumentException if the parameters do not fit the network
         */
        public Consumer<Optimizer> loadInto(Classifier model) {
            if (!model.config().equals(header.config().model())) {
                throw new IllegalArgumentException(file + ": checkpoint of " + header.config().model()
                        + ", not of " + model.config());
            }
            Block block = model.block();
            Consumer<Optimizer> optimizerState;
            try (InputStream in = new ByteArrayInputStream(bytes, paramsStart, paramsLength)) {
                DataInputStream data = new DataInputStream(in);
                block.loadParameters(model.model().getNDManager(), data);
                optimizerState = readOptimizerState(model, version, data);
            } catch (IOException | MalformedModelException | RuntimeException e) {
                throw new IllegalArgumentException(file + ": parameters do not fit " + model.config().name()
                        + " (" + e.getMessage() + ")", e);
            }
            model.checkParametersFit(file.toString());
            model.checkFinite(file.toString());
            return optimizerState;
        }
    }

    /** Reads the optimizer section; returns what puts it into the optimizer that continues the run. */
    private static Consumer<Optimizer> readOptimizerState(Classifier model, int version, DataInputStream in)
            throws IOException {
        int count = in.readInt();
        if (count == 0) {
            return optimizer -> { };
        }
        List<Parameter> parameters = parameters(model);
        if (count != parameters.size()) {
            throw new IOException("optimizer state for " + count + " parameters, the network has " + parameters.size());
        }
        NDManager manager = model.model().getNDManager();
        java.util.Map<String, NDArray[]> states = new java.util.HashMap<>();
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        for (Parameter parameter : parameters) {
            if (in.readBoolean()) {
                int arrays = version == FORMAT_ADAM_ONLY ? 2 : in.readInt();
                if (arrays < 0 || arrays > 2) {
                    throw new IOException("optimizer state of " + arrays + " arrays for " + parameter.getName());
                }
                NDArray[] state = new NDArray[arrays];
                for (int i = 0; i < arrays; i++) {
                    state[i] = manager.decode(in.readNBytes(in.readInt()));
                }
                states.put(parameter.getId(), state);
                counts.put(parameter.getId(), in.readInt());
            }
        }
        return optimizer -> {
            if (!(optimizer instanceof StatefulOptimizer stateful)) {
                throw new IllegalArgumentException("the checkpoint holds optimizer state, the run's optimizer ("
                        + model.optimizer().name() + ") keeps none");
            }
            states.forEach((id, state) -> stateful.restore(id, state, counts.get(id)));
        };
    }

    private static Header parseHeader(Path file, byte[] json) {
        try {
            Header header = Json.compact().fromJson(new String(json, StandardCharsets.UTF_8), Header.class);
            if (header == null || header.config() == null || header.state() == null) {
                throw new IllegalArgumentException("incomplete header");
            }
            return header;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": checkpoint header is not valid (" + e.getMessage() + ")", e);
        }
    }

    private static int checkedLength(Path file, int length, long fileSize) {
        if (length < 2 || length > fileSize) {
            throw new IllegalArgumentException(file + ": checkpoint header length " + length + " is impossible");
        }
        return length;
    }

    // The digest is written after the wrapped stream, so closing the wrapper must not close the file.
    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
