package dev.alexnet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.alexnet.model.Classifier;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.Networks;
import dev.alexnet.model.OptimizerConfig;
import dev.alexnet.weights.WeightsFile;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Inference records no graph on any thread: not on a fresh one (a server's engine thread, a Spark
 * task), where PyTorch's grad mode is on, and not for a network whose parameters take gradients.
 */
class InferenceRecordsNoGraphTest {

    /** What a fresh thread saw: its grad mode before, whether the output would back-propagate, the grad mode after. */
    private record Seen(boolean gradModeBefore, boolean outputRecorded, boolean gradModeAfter) {}

    private static Seen onFreshThread(java.util.function.Function<NDManager, NDArray> run) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return CompletableFuture.supplyAsync(() -> {
                boolean before = JniUtils.isGradMode();
                try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                    boolean recorded = backPropagates(run.apply(manager));
                    return new Seen(before, recorded, JniUtils.isGradMode());
                }
            }, thread).get();
        } finally {
            thread.shutdown();
        }
    }

    /**
     * Returns whether a graph leads back from {@code output}: PyTorch back-propagates through one and
     * refuses a tensor without one. (DJL's {@code hasGradient} cannot tell: on this engine it answers
     * false for an operation's result even when the result has a gradient function.)
     */
    private static boolean backPropagates(NDArray output) {
        NDArray total = output.sum();
        try {
            JniUtils.backward((PtNDArray) total, (PtNDArray) total.onesLike(), false, false);
            return true;
        } catch (EngineException e) {
            if (e.getMessage().contains("does not require grad")) {
                return false;
            }
            throw e;
        }
    }

    @Test
    void aNetworkInTrainingRecordsNothingWhenItInfersOnAFreshThread() throws Exception {
        for (String network : new String[] {Networks.LENET, Networks.ALEXNET28}) {
            ModelConfig config = new ModelConfig(network, 10, 28);
            try (Classifier model = new Classifier(config, OptimizerConfig.sgd(0.01f), Device.cpu());
                    ai.djl.training.Trainer trainer = Trainer.newEngineTrainer(model,
                            Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).build())) {
                trainer.initialize(Networks.inputShape(config, 1));
                for (Parameter parameter : model.block().getParameters().values()) {
                    if (parameter.requiresGradient()) {
                        assertTrue(parameter.getArray().hasGradient(), network + ": the trainer attaches gradients");
                    }
                }
                Seen inferred = onFreshThread(manager -> model.infer(manager,
                        new NDList(manager.randomUniform(0, 1, Networks.inputShape(config, 4)))).singletonOrThrow());
                assertTrue(inferred.gradModeBefore(), "PyTorch starts a fresh thread in grad mode");
                assertFalse(inferred.outputRecorded(), network + ": infer recorded a graph");
                assertTrue(inferred.gradModeAfter(), network + ": infer left the thread's grad mode changed");
            }
        }
        // the control: the plain forward pass on such a thread does record (lenet has no batch norm to refuse it)
        ModelConfig lenet = new ModelConfig(Networks.LENET, 10, 28);
        try (Classifier model = new Classifier(lenet, OptimizerConfig.sgd(0.01f), Device.cpu());
                ai.djl.training.Trainer trainer = Trainer.newEngineTrainer(model,
                        Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.01f)).build())) {
            trainer.initialize(Networks.inputShape(lenet, 1));
            Seen plain = onFreshThread(manager -> model.block().forward(new ParameterStore(manager, false),
                    new NDList(manager.randomUniform(0, 1, Networks.inputShape(lenet, 4))), false).singletonOrThrow());
            assertTrue(plain.outputRecorded(), "without infer the fresh thread records the graph");
        }
    }

    @Test
    void aLoadedModelHasNoParameterThatTakesGradients() throws Exception {
        try (Classifier model = WeightsFile.loadModel(Path.of("models/alexnet28-quick.safetensors"), Device.cpu())) {
            assertFalse(model.block().getParameters().isEmpty());
            long taking = model.block().getParameters().values().stream().filter(p -> p.getArray().hasGradient()).count();
            assertEquals(0, taking, "parameters that would record a graph in every forward pass");
            Seen plain = onFreshThread(manager -> model.block().forward(new ParameterStore(manager, false),
                    new NDList(manager.zeros(Networks.inputShape(model.config(), 2))), false).singletonOrThrow());
            assertFalse(plain.outputRecorded(), "even the plain forward pass records nothing");
            Seen inferred = onFreshThread(manager -> model.infer(manager,
                    new NDList(manager.zeros(Networks.inputShape(model.config(), 2)))).singletonOrThrow());
            assertFalse(inferred.outputRecorded());
        }
    }
}
