package dev.alexnet.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.alexnet.train.Compute;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The machine a benchmark ran on, and its float32 ceiling.
 *
 * @param cpu the processor's model name
 * @param cores processors the JVM sees
 * @param engineThreads the engine's intra-op threads
 * @param engine the engine and its version
 * @param device the device computed on
 * @param javaVersion the JVM's version
 * @param gemmGflops the square float32 matrix product's GFLOP/s (side {@code --gemm-size})
 * @param ceilingGflops the best rate of any kernel measured: the ceiling the steps are compared with
 * @param ceilingKernel the kernel that reached it
 * @param kernelGflops each kernel's best rate
 * @param peakGflops the CPU's theoretical peak for the engine's threads, or {@code null} where it cannot be derived
 * @param peakBasis how the peak was derived, or {@code null}
 */
public record MachineInfo(String cpu, int cores, int engineThreads, String engine, String device, String javaVersion,
        double gemmGflops, double ceilingGflops, String ceilingKernel, Map<String, Double> kernelGflops,
        Double peakGflops, String peakBasis) {

    /** Describes this machine computing on {@code device}, whose ceiling was measured as {@code ceiling}. */
    public static MachineInfo collect(Device device, Ceiling ceiling, String gemmKernel) {
        Cpu cpu = Cpu.here();
        CpuPeak peak = device.isGpu() ? null : CpuPeak.of(Math.min(cpu.engineThreads(), cpu.cores()));
        return new MachineInfo(cpu.cpu(), cpu.cores(), cpu.engineThreads(), cpu.engine(), device.toString(),
                System.getProperty("java.version"), ceiling.kernels().get(gemmKernel), ceiling.gflops(),
                ceiling.kernel(), ceiling.kernels(), peak == null ? null : peak.gflops(),
                peak == null ? null : peak.basis());
    }

    /**
     * What the speed of a run depends on, in brief.
     *
     * @param cpu the processor's model name
     * @param cores processors the JVM sees
     * @param engineThreads the engine's intra-op threads
     * @param engine the engine and its version
     */
    public record Cpu(String cpu, int cores, int engineThreads, String engine) {

        /** Describes this machine. */
        public static Cpu here() {
            Engine engine = Engine.getInstance();
            return new Cpu(cpuName(), Runtime.getRuntime().availableProcessors(), Compute.threads(),
                    engine.getEngineName() + " " + engine.getVersion());
        }
    }

    private static String cpuName() {
        try {
            String name = CpuPeak.field(Files.readAllLines(Path.of("/proc/cpuinfo")), "model name");
            return name == null ? "unknown" : name;
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
