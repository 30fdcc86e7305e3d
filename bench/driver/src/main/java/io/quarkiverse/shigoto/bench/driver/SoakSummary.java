package io.quarkiverse.shigoto.bench.driver;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The soak's verdict from its per-minute lines: mean throughput and the largest deviation from it, and whether the
 * table size and RSS stayed flat (within {@link #FLAT_PERCENT} of their mean) over the last {@link #FLAT_MINUTES}
 * minutes after the first prune.
 */
final class SoakSummary {

    static final int FLAT_MINUTES = 5;
    static final double FLAT_PERCENT = 10;

    private SoakSummary() {
    }

    /**
     * @param minutes the {@code SOAK minute=...} lines in order
     * @param retentionSeconds how long completed jobs are kept: the first prune that deletes anything comes after it
     */
    static void print(List<ParsedResult> minutes, long retentionSeconds) {
        if (minutes.isEmpty()) {
            System.out.println("soak: no per-minute lines");
            return;
        }
        double mean = mean(minutes, r -> number(r, "jobs_per_sec"));
        double maxDeviation = minutes.stream().mapToDouble(r -> Math.abs(number(r, "jobs_per_sec") - mean) / mean * 100)
                .max().orElse(0);
        System.out.printf(Locale.ROOT, "soak: mean %.0f jobs/s over %d minutes, max deviation %.1f %%%n", mean,
                minutes.size(), maxDeviation);
        // minute k covers (k-1, k]: the first minute wholly after the retention has passed and a prune has run
        int firstPruned = (int) Math.ceil(retentionSeconds / 60.0) + 1;
        List<ParsedResult> after = minutes.stream().filter(r -> number(r, "minute") > firstPruned).toList();
        if (after.size() < 2) {
            // one minute is always within its own mean: no verdict from fewer than two
            System.out.printf("soak: too short to judge flatness (%d minute(s) after the first prune at minute %d;"
                    + " %d minutes judge the last %d)%n", after.size(), firstPruned, firstPruned + FLAT_MINUTES,
                    FLAT_MINUTES);
            return;
        }
        List<ParsedResult> last = after.subList(Math.max(0, after.size() - FLAT_MINUTES), after.size());
        System.out.printf(Locale.ROOT, "soak: over minutes %s-%s (last %d after the first prune): %s, %s%n",
                last.get(0).get("minute"), last.get(last.size() - 1).get("minute"), last.size(),
                flatness(last, "table_mib", "table size"), flatness(last, "rss_mib", "RSS"));
    }

    private static String flatness(List<ParsedResult> rows, String key, String what) {
        double mean = mean(rows, r -> number(r, key));
        double worst = rows.stream().mapToDouble(r -> Math.abs(number(r, key) - mean) / mean * 100).max().orElse(0);
        return String.format(Locale.ROOT, "%s %s (mean %.1f MiB, max deviation %.1f %%)", what,
                worst <= FLAT_PERCENT ? "flat" : "NOT flat", mean, worst);
    }

    private static double mean(List<ParsedResult> rows, ToDoubleFunction<ParsedResult> value) {
        return rows.stream().mapToDouble(value).average().orElse(0);
    }

    private static double number(ParsedResult r, String key) {
        Double v = r.number(key);
        return v == null ? 0 : v;
    }
}
