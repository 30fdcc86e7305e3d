package io.quarkiverse.shigoto.bench.common;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures this process over a phase: CPU used (in cores, averaged over the phase) and peak resident memory. The
 * kernel's peak-RSS counter is reset when the phase starts ({@code /proc/self/clear_refs}), so the peak is the
 * phase's own, not the start-up's.
 */
public final class ProcessMeter {

    private final long cpuStart;
    private final long wallStart;

    private ProcessMeter() {
        resetPeakRss();
        this.cpuStart = cpuNanos();
        this.wallStart = System.nanoTime();
    }

    /** Starts measuring now. */
    public static ProcessMeter start() {
        return new ProcessMeter();
    }

    /** @return average cores used since {@link #start()} */
    public double cores() {
        long wall = System.nanoTime() - wallStart;
        return wall <= 0 ? 0 : (double) (cpuNanos() - cpuStart) / wall;
    }

    /** @return peak resident set size since {@link #start()}, in MiB */
    public static double peakRssMib() {
        return statusKib("VmHWM:") / 1024.0;
    }

    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    private static void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // not Linux, or not allowed: the peak then covers the whole process life
        }
    }

    private static long statusKib(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }
}
