package dev.alexnet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.alexnet.model.ModelConfig;
import dev.alexnet.model.Networks;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ceiling's kernels and the CPU's theoretical peak, against hand counts. */
class CeilingTest {

    @Test
    void denseKernelsAreTheBooksClassifierProducts() {
        // the chapter's layer_summary at 224: Flatten gives 6400 features, then Linear 4096, 4096 and 10;
        // the last product (2*128*4096*10 = 0.01 GFLOP) is too short to be a ceiling
        List<String> names = Ceiling.denseKernels(new ModelConfig(Networks.ALEXNET, 10, 224), 128).stream()
                .map(Ceiling.Kernel::name).toList();
        assertEquals(List.of("matmul 128x6400x4096", "matmul 128x4096x4096"), names);
        assertEquals(2.0 * 128 * 6400 * 4096, Ceiling.denseKernels(new ModelConfig(Networks.ALEXNET, 10, 224), 128)
                .get(0).flops());
    }

    @Test
    void measuredCeilingIsTheBestKernelAndCoversEachOne() {
        Ceiling ceiling = Ceiling.measure(Device.cpu(), new ModelConfig(Networks.ALEXNET, 10, 65), 2, 64);

        assertEquals(List.of("matmul 64x64x64", "matmul 32x32x32", "conv3x3 (2, 256, 26, 26)->256",
                "conv3x3 (2, 256, 26, 26)->256 channels-last"),
                List.copyOf(ceiling.kernels().keySet()));
        assertEquals(ceiling.kernels().values().stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
                ceiling.gflops());
        assertEquals(ceiling.gflops(), ceiling.kernels().get(ceiling.kernel()));
        Ceiling doubled = new Ceiling(1, "a", java.util.Map.of("a", 1.0)).max(new Ceiling(3, "b",
                java.util.Map.of("a", 0.5, "b", 3.0)));
        assertEquals(new Ceiling(3, "b", java.util.Map.of("a", 1.0, "b", 3.0)), doubled);
    }

    @Test
    void peakOfAnIntelAvx512Xeon() {
        // 2 cores x 16 floats x 2 FMA units x 2 x 2.5 GHz = 320 GFLOP/s
        CpuPeak peak = CpuPeak.derive(List.of("vendor_id\t: GenuineIntel", "cpu family\t: 6",
                "model name\t: Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", "cpu MHz\t\t: 3100.000",
                "flags\t\t: fpu sse sse2 avx avx2 fma avx512f avx512dq"), null, 2);
        assertEquals(320.0, peak.gflops(), 1e-9);
        assertTrue(peak.basis().contains("clock in the name"), peak.basis());
    }

    @Test
    void peakOfAnAmdZen4RunsAvx512OnHalfWidthUnits() {
        // 2 cores x 8 floats x 2 FMA units x 2 x 2.596 GHz = 166.144 GFLOP/s
        CpuPeak peak = CpuPeak.derive(List.of("vendor_id\t: AuthenticAMD", "cpu family\t: 25", "model name\t: AMD EPYC",
                "cpu MHz\t\t: 2596.000", "flags\t\t: fpu sse sse2 avx avx2 fma avx512f"), null, 2);
        assertEquals(166.144, peak.gflops(), 1e-9);
    }

    @Test
    void peakPrefersTheKernelsMaximumClock() {
        // 4 cores x 8 floats x 2 x 2 x 3.3 GHz = 422.4 GFLOP/s
        CpuPeak peak = CpuPeak.derive(List.of("vendor_id\t: AuthenticAMD", "cpu family\t: 23",
                "model name\t: AMD EPYC 7B12", "cpu MHz\t\t: 2250.000", "flags\t\t: sse2 avx avx2 fma"), "3300000\n", 4);
        assertEquals(422.4, peak.gflops(), 1e-9);
    }

    @Test
    void peakCountsCoresNotHyperthreads() {
        // two logical CPUs on one core of an AVX2 Intel at 3.0 GHz: 1 x 8 x 2 x 2 x 3.0 = 96 GFLOP/s
        List<String> cpu = List.of("physical id\t: 0", "core id\t\t: 0", "vendor_id\t: GenuineIntel",
                "model name\t: Intel(R) Core(TM) i7 CPU @ 3.00GHz", "flags\t\t: sse2 avx avx2 fma");
        List<String> twoThreads = new java.util.ArrayList<>(cpu);
        twoThreads.addAll(cpu);
        assertEquals(96.0, CpuPeak.derive(twoThreads, null, 2).gflops(), 1e-9);
    }

    @Test
    void peakOfAZen1RunsAvx2OnHalfWidthUnits() {
        // EPYC 7601 (family 23, model 1): 2 cores x 4 floats x 2 x 2 x 2.2 GHz = 70.4 GFLOP/s
        CpuPeak peak = CpuPeak.derive(List.of("vendor_id\t: AuthenticAMD", "cpu family\t: 23", "model\t\t: 1",
                "model name\t: AMD EPYC 7601 32-Core Processor", "cpu MHz\t\t: 2200.000",
                "flags\t\t: sse2 avx avx2 fma"), null, 2);
        assertEquals(70.4, peak.gflops(), 1e-9);
    }

    @Test
    void noPeakWithoutVectorFlags() {
        assertNull(CpuPeak.derive(List.of("processor\t: 0", "Features\t: fp asimd"), null, 2));
    }
}
