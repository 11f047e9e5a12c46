package dev.alexnet.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.alexnet.model.NativeLog;
import java.util.Locale;

/** Chooses the device and the CPU threads the engine computes with. */
public final class Compute {

    private static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    private Compute() {}

    static {
        NativeLog.apply();
    }

    /** Asks PyTorch for {@code threads} intra-op threads, whether or not the engine has started. */
    public static void useThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        // read by the engine when it starts; set directly too in case it already has
        System.setProperty(THREADS_PROPERTY, Integer.toString(threads));
        Engine.getInstance();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    }

    /** Returns how many intra-op threads the engine computes with. */
    public static int threads() {
        Engine.getInstance();
        return ai.djl.pytorch.jni.JniUtils.getNumThreads();
    }

    /**
     * Returns the device for a choice: {@code auto} (a GPU when DJL finds one, else the CPU),
     * {@code cpu} or {@code gpu}.
     *
     * @throws IllegalArgumentException for another choice, or {@code gpu} when there is none
     */
    public static Device device(String choice) {
        switch (choice.toLowerCase(Locale.ROOT)) {
            case "auto":
                return Engine.getInstance().defaultDevice();
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (Engine.getInstance().getGpuCount() == 0) {
                    throw new IllegalArgumentException(
                            "--device gpu: the engine sees no GPU (this build bundles the CPU PyTorch; see the README)");
                }
                return Device.gpu();
            default:
                throw new IllegalArgumentException("unknown device '" + choice + "'; use auto, cpu or gpu");
        }
    }
}
