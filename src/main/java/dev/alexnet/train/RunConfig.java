package dev.alexnet.train;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.annotations.JsonAdapter;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import dev.alexnet.data.Augmentation;
import dev.alexnet.data.DataConfig;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.data.ResizeSchedule;
import dev.alexnet.io.Json;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.Networks;
import dev.alexnet.model.OptimizerConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.LinkedHashSet;
import java.util.TreeSet;

/**
 * Everything a training run is configured with: the network, the data, the optimizer and its
 * schedule, the epochs, the seed and the checkpoints. Saved as {@code config.json} in the run
 * directory and in every checkpoint, and read back to resume the run or use its model.
 *
 * <p>The book's values live here, in {@link #book()}, and nowhere else; the other tested recipes
 * are {@link #preset(String) presets} derived from it.
 *
 * @param model the network
 * @param data how the data is read and batched
 * @param training epochs, seed and checkpoints
 * @param optimizer the optimizer, its learning rate and schedule
 */
@JsonAdapter(RunConfig.Migration.class)
public record RunConfig(ModelConfig model, DataConfig data, TrainingConfig training, OptimizerConfig optimizer) {

    /** The book's recipe: AlexNet at 224, SGD at 0.01, batch 128, 10 epochs. */
    public static final String BOOK = "book";

    /** The book's network at 224 trained to the book's accuracy in a fraction of its time. */
    public static final String FAST = "fast";

    /** The model for users in a hurry: alexnet28 on the native images. */
    public static final String QUICK = "quick";

    /** Every preset's name. */
    public static final List<String> PRESETS = List.of(BOOK, FAST, QUICK);

    /** Checks every field, so that a bad configuration fails where it is made. */
    public RunConfig {
        if (model == null || data == null || training == null || optimizer == null) {
            throw new IllegalArgumentException("model, data, training and optimizer configuration are all required");
        }
        if (model.inputSize() != data.resize()) {
            throw new IllegalArgumentException("model input size " + model.inputSize()
                    + " differs from the data's resize " + data.resize());
        }
        ResizeSchedule schedule = data.resizeSchedule();
        if (schedule != null && schedule.epochs() > training.maxEpochs()) {
            throw new IllegalArgumentException("the resize schedule " + schedule + " lasts " + schedule.epochs()
                    + " epochs, more than the run's " + training.maxEpochs()
                    + " (give more --epochs, or another --resize-schedule, or none)");
        }
        if (schedule != null && !model.adaptivePool() && schedule.sizes().size() > 1) {
            throw new IllegalArgumentException("the resize schedule " + schedule + " changes the input size of "
                    + model.name() + " without an adaptive pool before its dense layers (model.adaptivePool)");
        }
    }

    /**
     * The book's experiment: {@code AlexNet(lr=0.01)}, {@code FashionMNIST(batch_size=128,
     * resize=(224, 224))}, {@code Trainer(max_epochs=10)}; seed 42, a checkpoint at each epoch end and
     * after every 10 minutes of training, the newest two kept.
     */
    public static RunConfig book() {
        int size = Networks.naturalInputSize(Networks.ALEXNET);
        return new RunConfig(new ModelConfig(Networks.ALEXNET, FashionMnist.CLASS_NAMES.size(), size),
                DataConfig.of(128, size), new TrainingConfig(10, 42, null, 10, 2), OptimizerConfig.sgd(0.01f));
    }

    /**
     * Returns a tested recipe by name.
     *
     * <ul>
     *   <li>{@code book}: {@link #book()}, what {@code train} does with no flags.
     *   <li>{@code fast}: the book's AlexNet (dropout 0.5, batch 128) for 2 epochs instead of 10, the first at
     *       160×160 and the second at 224×224 (progressive resizing: an adaptive pool before the dense layers,
     *       an identity at 224, lets the network take 160), with Adam at 2e-4 after a half-epoch linear warm-up,
     *       cosine decay to 1% by the last step, and random horizontal flips. Adam moves every weight by about the
     *       rate from the first step, where SGD at 0.01 spends most of an epoch leaving the plateau at log(10).
     *   <li>{@code quick}: alexnet28 (batch norm, 745k parameters) on the native 28×28 images for 8
     *       epochs of batch 128, with Adam at 3e-3, a one-epoch linear warm-up and cosine decay,
     *       weight decay 5e-4, random flips and crops.
     * </ul>
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static RunConfig preset(String name) {
        RunConfig book = book();
        return switch (name == null ? "" : name) {
            case BOOK -> book;
            case FAST -> book.withEpochs(2)
                    .withOptimizer(new OptimizerConfig("adam", 2e-4f, 0f, 235, true))
                    .withAugmentation(new Augmentation(true, false, false))
                    .withResizeSchedule(ResizeSchedule.parse("160:1,224:1"));
            case QUICK -> book.withModel(Networks.ALEXNET28).withEpochs(8)
                    .withOptimizer(new OptimizerConfig("adam", 3e-3f, 5e-4f, 469, true))
                    .withAugmentation(new Augmentation(true, true, false));
            default -> throw new IllegalArgumentException("unknown preset '" + name + "' (known: "
                    + String.join(", ", PRESETS) + ")");
        };
    }

    /**
     * Returns this configuration with the recipe of {@code preset}: its network and input size,
     * batch size, augmentation, epochs and optimizer; the data's location and limits, the seed and
     * the checkpoint settings stay this one's.
     */
    public RunConfig withRecipeOf(RunConfig preset) {
        ModelConfig network = preset.model().withChannels(model.channels()).withPreprocessing(model.preprocessing());
        if (network.numClasses() == model.numClasses()) {
            network = network.withClasses(model.classNames());
        }
        return new RunConfig(network,
                data.withResizeSchedule(null).withBatchSize(preset.data().batchSize()).withResize(preset.data().resize())
                        .withResizeSchedule(preset.data().resizeSchedule()).withAugmentation(preset.data().augmentation()),
                training.withMaxEpochs(preset.training().maxEpochs()), preset.optimizer());
    }

    /** Returns this configuration with another network, at that network's natural input size. */
    public RunConfig withModel(String name) {
        int size = Networks.naturalInputSize(name);
        return new RunConfig(new ModelConfig(name, model.numClasses(), size, model.channels(), model.classNames(),
                model.preprocessing()),
                data.withResizeSchedule(null).withResize(size), training, optimizer);
    }

    /**
     * Returns this configuration training at the sizes of {@code schedule} (progressive resizing), with the network
     * at the schedule's last size and an adaptive pool before its dense layers so that it takes the others; {@code
     * null}: every epoch at the input size, without the pool.
     */
    public RunConfig withResizeSchedule(ResizeSchedule schedule) {
        if (schedule == null) {
            return new RunConfig(model.withAdaptivePool(false), data.withResizeSchedule(null), training, optimizer);
        }
        int size = schedule.lastSize();
        return new RunConfig(model.withInputSize(size).withAdaptivePool(true),
                data.withResizeSchedule(null).withResize(size).withResizeSchedule(schedule), training, optimizer);
    }

    /** Returns this configuration with another network configuration (its input size must stay the data's). */
    public RunConfig withModelConfig(ModelConfig network) {
        return new RunConfig(network, data, training, optimizer);
    }

    /** Returns this configuration scoring {@code classes} classes. */
    public RunConfig withNumClasses(int classes) {
        ModelConfig network = classes == model.numClasses() ? model
                : new ModelConfig(model.name(), classes, model.inputSize(), model.channels(), null, model.preprocessing(),
                        model.adaptivePool());
        return new RunConfig(network, data, training, optimizer);
    }

    /** Returns this configuration with the images resized to {@code size}×{@code size}. */
    public RunConfig withInputSize(int size) {
        return new RunConfig(model.withInputSize(size), data.withResize(size), training, optimizer);
    }

    /** Returns this configuration with another data configuration. */
    public RunConfig withData(DataConfig newData) {
        return new RunConfig(model, newData, training, optimizer);
    }

    /** Returns this configuration with another training configuration. */
    public RunConfig withTraining(TrainingConfig newTraining) {
        return new RunConfig(model, data, newTraining, optimizer);
    }

    /** Returns this configuration with another optimizer. */
    public RunConfig withOptimizer(OptimizerConfig newOptimizer) {
        return new RunConfig(model, data, training, newOptimizer);
    }

    /** Returns this configuration training for {@code epochs} epochs. */
    public RunConfig withEpochs(int epochs) {
        return withTraining(training.withMaxEpochs(epochs));
    }

    /** Returns this configuration with another augmentation of the training images. */
    public RunConfig withAugmentation(Augmentation augmentation) {
        return withData(data.withAugmentation(augmentation));
    }

    /**
     * One field whose value differs between two configurations.
     *
     * @param path the field, as its JSON path ({@code optimizer.learningRate})
     * @param value its value in this configuration, as JSON
     * @param other its value in the other one, as JSON
     */
    public record Difference(String path, String value, String other) {}

    /**
     * Lists, generically, every field whose value differs between this configuration and
     * {@code other}, leaving out the paths in {@code ignored} (such as {@code training.maxEpochs}).
     * A field added to any part of the configuration later is compared without changing this method.
     */
    public List<Difference> differencesFrom(RunConfig other, Set<String> ignored) {
        Set<String> skipped = new TreeSet<>(ignored);
        skipped.addAll(Migration.LEGACY_COPIES);
        List<Difference> differences = new ArrayList<>();
        compare("", Json.compact().toJsonTree(this), Json.compact().toJsonTree(other), skipped, differences);
        return differences;
    }

    private static void compare(String path, JsonElement mine, JsonElement theirs, Set<String> ignored,
            List<Difference> out) {
        if (ignored.contains(path)) {
            return;
        }
        if (mine != null && theirs != null && mine.isJsonObject() && theirs.isJsonObject()) {
            Set<String> keys = new LinkedHashSet<>(mine.getAsJsonObject().keySet());
            keys.addAll(theirs.getAsJsonObject().keySet());
            for (String key : keys) {
                compare(path.isEmpty() ? key : path + "." + key, mine.getAsJsonObject().get(key),
                        theirs.getAsJsonObject().get(key), ignored, out);
            }
        } else if (!Objects.equals(mine, theirs)) {
            out.add(new Difference(path, String.valueOf(mine), String.valueOf(theirs)));
        }
    }

    /**
     * Reads configurations written by earlier versions: the learning rate was a top-level field
     * beside an optional optimizer, and the data and the training each held a copy of the seed.
     */
    static final class Migration implements TypeAdapterFactory {

        /** Copies written for readers of earlier files: the learning rate at the top, the seed in the data. */
        static final Set<String> LEGACY_COPIES = Set.of("learningRate", "data.seed");

        @Override
        @SuppressWarnings("unchecked")
        public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
            TypeAdapter<T> delegate = gson.getDelegateAdapter(this, type);
            TypeAdapter<JsonElement> tree = gson.getAdapter(JsonElement.class);
            return new TypeAdapter<>() {
                @Override
                public void write(JsonWriter out, T value) throws IOException {
                    JsonElement written = delegate.toJsonTree(value);
                    if (written.isJsonObject()) {
                        written = withLegacyCopies(written.getAsJsonObject());
                    }
                    tree.write(out, written);
                }

                @Override
                public T read(JsonReader in) throws IOException {
                    JsonElement element = tree.read(in);
                    if (element != null && element.isJsonObject()) {
                        migrate(element.getAsJsonObject());
                    }
                    return delegate.fromJsonTree(element);
                }
            };
        }

        /** Returns {@code config} laid out as earlier versions wrote it, the new fields included. */
        private static JsonObject withLegacyCopies(JsonObject config) {
            JsonObject out = new JsonObject();
            out.add("model", config.get("model"));
            JsonElement optimizer = config.get("optimizer");
            if (optimizer != null && optimizer.isJsonObject()) {
                out.add("learningRate", optimizer.getAsJsonObject().get("learningRate"));
            }
            JsonElement data = config.get("data");
            JsonElement training = config.get("training");
            if (data != null && data.isJsonObject() && training != null && training.isJsonObject()) {
                data.getAsJsonObject().add("seed", training.getAsJsonObject().get("seed"));
            }
            config.keySet().forEach(key -> {
                if (!out.has(key)) {
                    out.add(key, config.get(key));
                }
            });
            return out;
        }

        private static void migrate(JsonObject config) {
            JsonElement rate = config.remove("learningRate");
            JsonElement optimizer = config.get("optimizer");
            if (optimizer == null || optimizer.isJsonNull()) {
                JsonObject sgd = new JsonObject();
                sgd.addProperty("name", "sgd");
                sgd.addProperty("weightDecay", 0);
                sgd.addProperty("warmupSteps", 0);
                sgd.addProperty("cosine", false);
                config.add("optimizer", sgd);
                optimizer = sgd;
            }
            if (rate != null && optimizer.isJsonObject() && !optimizer.getAsJsonObject().has("learningRate")) {
                optimizer.getAsJsonObject().add("learningRate", rate);
            }
            JsonElement training = config.get("training");
            if (training != null && training.isJsonObject() && !training.getAsJsonObject().has("checkpointMinutes")) {
                // runs from before time-based checkpoints get them when resumed: a kill never loses more
                training.getAsJsonObject().addProperty("checkpointMinutes", book().training().checkpointMinutes());
            }
            JsonElement data = config.get("data");
            if (data != null && data.isJsonObject()) {
                JsonObject fields = data.getAsJsonObject();
                fields.remove("seed");
                JsonElement augmentation = fields.get("augmentation");
                if (augmentation == null || augmentation.isJsonNull()) {
                    fields.add("augmentation", Json.compact().toJsonTree(Augmentation.NONE));
                }
            }
        }
    }

    /** Field paths a resumed run may change: its length and where its data now is. */
    public static final Set<String> RESUMABLE_CHANGES = Set.of("training.maxEpochs", "data.dataDir");
}
