package io.quarkiverse.shigoto.bench.common;

import java.util.Locale;

/**
 * One measured row, printed by a system process as a single line the driver parses:
 * {@code RESULT scenario=burn-down system=shigoto n=200000 jobs_per_sec=... p50_ms=... p99_ms=... cpu_cores=...
 * peak_rss_mib=... note=...}. Absent figures are printed as empty values.
 */
public record BenchResult(String scenario, String system, long n, Double jobsPerSec, Double p50Ms, Double p99Ms,
        Double cpuCores, Double peakRssMib, String note) {

    public static BenchResult rate(String scenario, String system, long n, double seconds) {
        return new BenchResult(scenario, system, n, n / seconds, null, null, null, null, null);
    }

    public BenchResult withLatency(double p50, double p99) {
        return new BenchResult(scenario, system, n, jobsPerSec, p50, p99, cpuCores, peakRssMib, note);
    }

    public BenchResult withProcess(ProcessMeter meter) {
        return new BenchResult(scenario, system, n, jobsPerSec, p50Ms, p99Ms, meter.cores(), ProcessMeter.peakRssMib(),
                note);
    }

    public BenchResult withNote(String note) {
        return new BenchResult(scenario, system, n, jobsPerSec, p50Ms, p99Ms, cpuCores, peakRssMib, note);
    }

    /** Prints the result line on standard output. */
    public void print() {
        System.out.println(line());
        System.out.flush();
    }

    public String line() {
        return "RESULT scenario=" + scenario + " system=" + system + " n=" + n + " jobs_per_sec=" + fmt(jobsPerSec)
                + " p50_ms=" + fmt(p50Ms) + " p99_ms=" + fmt(p99Ms) + " cpu_cores=" + fmt(cpuCores) + " peak_rss_mib="
                + fmt(peakRssMib) + " note=" + (note == null ? "" : note.replace(' ', '_'));
    }

    private static String fmt(Double d) {
        return d == null ? "" : String.format(Locale.ROOT, "%.2f", d);
    }

    /** @return the p-th percentile (0..100) of sorted values */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
