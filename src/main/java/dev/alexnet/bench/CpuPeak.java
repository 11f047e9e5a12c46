package dev.alexnet.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The float32 peak a CPU's design allows: cores × floats per vector × FMA units × 2 × clock, from
 * {@code /proc/cpuinfo}.
 *
 * <p>Each factor is read or derived as stated in {@link #basis()}: the vector width from the
 * instruction sets (AVX-512 counts 16 floats, except on AMD's Zen 4, which runs it on 256-bit units),
 * two FMA units per core (what current server cores have; some Intel Xeon Silver and Bronze have one),
 * the clock from the kernel's maximum frequency, else the name's "@ x GHz", else the current clock. A
 * CPU that boosts above that clock can beat this figure, so the measured {@link Ceiling} is the one
 * the step is compared with.
 *
 * @param gflops the peak in GFLOP/s
 * @param basis how it was derived, in words and numbers
 */
public record CpuPeak(double gflops, String basis) {

    private static final Pattern NAME_CLOCK = Pattern.compile("@\\s*([0-9.]+)\\s*GHz");
    private static final int FMA_UNITS = 2;

    /** Derives the peak of {@code threads} engine threads on this machine, or returns {@code null} where it cannot. */
    public static CpuPeak of(int threads) {
        try {
            List<String> cpuinfo = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String maxFreq = readOrNull(Path.of("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq"));
            return derive(cpuinfo, maxFreq, threads);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Derives the peak of {@code threads} engine threads from the lines of {@code /proc/cpuinfo} and the
     * kernel's maximum frequency in kHz ({@code null} where there is none): as many cores as threads, at
     * most the physical cores (two hyperthreads share one core's vector units); {@code null} where the CPU
     * is not one whose vector units are known (no x86 flags, no clock).
     */
    static CpuPeak derive(List<String> cpuinfo, String maxFreqKhz, int threads) {
        String flagLine = field(cpuinfo, "flags");
        if (flagLine == null || threads < 1) {
            return null;
        }
        int physical = physicalCores(cpuinfo);
        int cores = physical > 0 ? Math.min(threads, physical) : threads;
        Set<String> flags = Set.of(flagLine.split("\\s+"));
        String vendor = field(cpuinfo, "vendor_id");
        String family = field(cpuinfo, "cpu family");
        String name = field(cpuinfo, "model name");
        int floats;
        String width;
        boolean amd = "AuthenticAMD".equals(vendor);
        boolean zen4 = amd && "25".equals(family);
        // Zen 1 (family 23 below model 0x30) runs AVX2 on 128-bit units
        boolean zen1 = amd && "23".equals(family) && parseOr(field(cpuinfo, "model"), 0x30) < 0x30;
        if (zen1 && flags.contains("avx2")) {
            floats = 4;
            width = "AVX2 on 128-bit units (AMD Zen 1)";
        } else if (flags.contains("avx512f") && !zen4) {
            floats = 16;
            width = "AVX-512";
        } else if (flags.contains("avx512f")) {
            floats = 8;
            width = "AVX-512 on 256-bit units (AMD family 25)";
        } else if (flags.contains("avx2") || flags.contains("avx")) {
            floats = 8;
            width = flags.contains("avx2") ? "AVX2" : "AVX";
        } else if (flags.contains("sse2")) {
            floats = 4;
            width = "SSE2";
        } else {
            return null;
        }
        // without FMA a core multiplies and adds in two units: the same two operations per cycle as one FMA unit
        int fmaUnits = flags.contains("fma") ? FMA_UNITS : 1;
        double ghz;
        String clock;
        Matcher m = name == null ? null : NAME_CLOCK.matcher(name);
        if (maxFreqKhz != null && !maxFreqKhz.isBlank()) {
            ghz = Long.parseLong(maxFreqKhz.strip()) / 1e6;
            clock = "maximum clock";
        } else if (m != null && m.find()) {
            ghz = Double.parseDouble(m.group(1));
            clock = "clock in the name";
        } else if (field(cpuinfo, "cpu MHz") != null) {
            ghz = Double.parseDouble(field(cpuinfo, "cpu MHz")) / 1e3;
            clock = "current clock";
        } else {
            return null;
        }
        double gflops = cores * floats * fmaUnits * 2 * ghz;
        String basis = String.format(Locale.ROOT, "%d cores x %d floats (%s) x %d %s x 2 x %.2f GHz (%s)", cores,
                floats, width, fmaUnits, flags.contains("fma") ? "FMA units" : "multiply-add pair",
                ghz, clock);
        return new CpuPeak(gflops, basis);
    }

    /** Counts distinct (physical id, core id) pairs: cores, not hyperthreads; 0 where the file has none. */
    private static int physicalCores(List<String> cpuinfo) {
        java.util.Set<String> cores = new java.util.HashSet<>();
        String socket = "0";
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (key.equals("physical id")) {
                socket = value;
            } else if (key.equals("core id")) {
                cores.add(socket + "/" + value);
            }
        }
        return cores.size();
    }

    private static int parseOr(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** Returns the value of the first {@code key : value} line of {@code /proc/cpuinfo}'s lines, or {@code null}. */
    static String field(List<String> cpuinfo, String key) {
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    private static String readOrNull(Path file) {
        try {
            return Files.isReadable(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
