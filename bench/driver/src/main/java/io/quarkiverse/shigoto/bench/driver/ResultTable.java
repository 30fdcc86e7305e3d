package io.quarkiverse.shigoto.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The run's results: a table on the console with shigoto's ratio to every other system, {@code results.csv} with the
 * agreed columns, and {@code resources.csv} with CPU and memory.
 */
final class ResultTable {

    private final List<ParsedResult> rows = new ArrayList<>();

    void add(ParsedResult row) {
        rows.add(row);
    }

    /** @return the jobs/s of a row, or fails when the row is missing */
    double rate(String scenario, String system) {
        return rows.stream().filter(r -> r.scenario().equals(scenario) && r.system().equals(system))
                .map(r -> r.number("jobs_per_sec")).filter(v -> v != null).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + scenario + " rate for " + system));
    }

    /** @return the note of a row, or empty */
    String note(String scenario, String system) {
        return rows.stream().filter(r -> r.scenario().equals(scenario) && r.system().equals(system))
                .map(r -> r.get("note")).findFirst().orElse("");
    }

    void print() {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-15s %-13s %9s %12s %9s %9s %7s %9s %-10s %s%n", "scenario", "system", "n",
                "jobs/s", "p50 ms", "p99 ms", "cores", "RSS MiB", "shigoto÷", "note");
        String last = null;
        for (ParsedResult r : rows) {
            if (last != null && !last.equals(r.scenario())) {
                System.out.println();
            }
            last = r.scenario();
            System.out.printf(Locale.ROOT, "%-15s %-13s %9s %12s %9s %9s %7s %9s %-10s %s%n", r.scenario(),
                    r.system(), r.get("n"), r.get("jobs_per_sec"), r.get("p50_ms"), r.get("p99_ms"),
                    r.get("cpu_cores"), r.get("peak_rss_mib"), ratio(r), r.get("note"));
        }
        System.out.println();
        System.out.println("shigoto÷: shigoto's jobs/s divided by the row's (for latency: the row's p99 divided by "
                + "shigoto's); above 1 means shigoto is ahead.");
    }

    private String ratio(ParsedResult r) {
        if (r.system().equals("shigoto")) {
            return "";
        }
        ParsedResult ours = rows.stream().filter(o -> o.system().equals("shigoto") && o.scenario().equals(r.scenario()))
                .findFirst().orElse(null);
        if (ours == null) {
            return "";
        }
        Double mine = ours.number("jobs_per_sec"), theirs = r.number("jobs_per_sec");
        if (mine != null && theirs != null && theirs > 0) {
            return String.format(Locale.ROOT, "%.2fx", mine / theirs);
        }
        Double myP99 = ours.number("p99_ms"), theirP99 = r.number("p99_ms");
        if (myP99 != null && theirP99 != null && myP99 > 0) {
            return String.format(Locale.ROOT, "%.2fx", theirP99 / myP99);
        }
        return "";
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder results = new StringBuilder("scenario,system,n,jobs_per_sec,p50_ms,p99_ms\n");
        StringBuilder resources = new StringBuilder("scenario,system,n,cpu_cores,peak_rss_mib,note\n");
        for (ParsedResult r : rows) {
            if (r.get("note").startsWith("reference")) {
                // extra reference rows (the floor at batch 1000) stay out of the one-row-per-system table
                resources.append(String.join(",", r.scenario(), r.system(), r.get("n"), r.get("cpu_cores"),
                        r.get("peak_rss_mib"), r.get("note") + ";jobs_per_sec=" + r.get("jobs_per_sec"))).append('\n');
                continue;
            }
            results.append(String.join(",", r.scenario(), r.system(), r.get("n"), r.get("jobs_per_sec"),
                    r.get("p50_ms"), r.get("p99_ms"))).append('\n');
            resources.append(String.join(",", r.scenario(), r.system(), r.get("n"), r.get("cpu_cores"),
                    r.get("peak_rss_mib"), r.get("note"))).append('\n');
        }
        Files.writeString(dir.resolve("results.csv"), results);
        Files.writeString(dir.resolve("resources.csv"), resources);
    }
}
