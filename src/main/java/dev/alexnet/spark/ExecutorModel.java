package dev.alexnet.spark;

import ai.djl.Device;
import dev.alexnet.data.FashionMnist;
import dev.alexnet.model.Classifier;
import dev.alexnet.predict.Predictor;
import dev.alexnet.weights.WeightsFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The network in one executor JVM: loaded from the weights file the first time a task asks for it,
 * shared by every later task and thread of that JVM, and closed (its native memory freed) when the JVM
 * ends. Tasks use it one at a time: the engine already spreads one batch over the cores.
 */
final class ExecutorModel {

    /** A loaded network and its predictor. */
    record Loaded(Classifier model, Predictor predictor) {}

    private static final Map<String, Loaded> MODELS = new ConcurrentHashMap<>();

    private ExecutorModel() {}

    /**
     * Returns the network in {@code weights}, loading it if this JVM has not yet; {@code loaded} is
     * run once per load, so the driver can count them.
     */
    static Loaded get(Path weights, Runnable loaded) {
        return MODELS.computeIfAbsent(weights.toAbsolutePath().normalize().toString(), key -> {
            Classifier model = WeightsFile.loadModel(weights, Device.cpu());
            Runtime.getRuntime().addShutdownHook(new Thread(model::close, "close-" + weights.getFileName()));
            loaded.run();
            return new Loaded(model, new Predictor(model));
        });
    }
}
