package dev.alexnet.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.alexnet.train.Compute;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine a benchmark ran on.
 *
 * @param cpu the processor's model name
 * @param cores processors the JVM sees
 * @param engineThreads the engine's intra-op threads
 * @param engine the engine and its version
 * @param device the device computed on
 * @param javaVersion the JVM's version
 * @param gemmGflops the float32 matrix product's GFLOP/s, the practical ceiling
 */
public record MachineInfo(String cpu, int cores, int engineThreads, String engine, String device, String javaVersion,
        double gemmGflops) {

    /** Describes this machine computing on {@code device}, whose ceiling was measured at {@code gemmGflops}. */
    public static MachineInfo collect(Device device, double gemmGflops) {
        Engine engine = Engine.getInstance();
        return new MachineInfo(cpuName(), Runtime.getRuntime().availableProcessors(), Compute.threads(),
                engine.getEngineName() + " " + engine.getVersion(), device.toString(),
                System.getProperty("java.version"), gemmGflops);
    }

    private static String cpuName() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
