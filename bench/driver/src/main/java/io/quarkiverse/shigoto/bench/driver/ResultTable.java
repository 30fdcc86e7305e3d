package io.quarkiverse.shigoto.bench.driver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The run's results: on the console one line per scenario and system with the median over the rounds (and the min-max
 * range when there are several) and shigoto's ratio of medians to every other system, plus shigoto's per-round ratio
 * to db-scheduler in the continuous scenarios; {@code results-*.csv} and {@code resources-*.csv} keep every run's row
 * with its round.
 */
final class ResultTable {

    /** One run's row: its round, and its variant (the floor's reference run at batch 1000), empty for the main one. */
    record Row(ParsedResult result, int round, String variant) {

        String key() {
            return result.scenario() + "|" + label();
        }

        String label() {
            return variant.isEmpty() ? result.system() : result.system() + "@" + variant;
        }
    }

    private final List<Row> rows = new ArrayList<>();

    void add(ParsedResult result, int round, String variant) {
        rows.add(new Row(result, round, variant));
    }

    /** @return the jobs/s of the first row of a system in a scenario, or fails when there is none */
    double rate(String scenario, String system) {
        return rows.stream().filter(r -> r.variant.isEmpty() && r.result.scenario().equals(scenario)
                && r.result.system().equals(system)).map(r -> r.result.number("jobs_per_sec")).filter(Objects::nonNull)
                .findFirst().orElseThrow(() -> new IllegalStateException("no " + scenario + " rate for " + system));
    }

    /** @return the note of the latest row of a system in a scenario, or empty */
    String latestNote(String scenario, String system) {
        String note = "";
        for (Row r : rows) {
            if (r.variant.isEmpty() && r.result.scenario().equals(scenario) && r.result.system().equals(system)) {
                note = r.result.get("note");
            }
        }
        return note;
    }

    void print() {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        rows.forEach(r -> groups.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
        boolean ranges = rows.stream().anyMatch(r -> r.round > 1);
        System.out.println();
        String format = "%-15s %-22s %3s %9s %" + (ranges ? 26 : 12) + "s %9s %9s %7s %9s %9s %-9s %s%n";
        System.out.printf(Locale.ROOT, format, "scenario", "system", "runs", "n", ranges ? "jobs/s median (min-max)"
                : "jobs/s", "p50 ms", "p99 ms", "cores", "CPU ms/1k", "RSS MiB", "shigoto÷", "note (last run)");
        String last = null;
        for (List<Row> group : groups.values()) {
            ParsedResult first = group.get(0).result;
            if (last != null && !last.equals(first.scenario())) {
                System.out.println();
            }
            last = first.scenario();
            Double rate = median(group, "jobs_per_sec");
            String rateText = rate == null ? ""
                    : fmt(rate) + (ranges && group.size() > 1
                            ? " (" + fmt(min(group, "jobs_per_sec")) + "-" + fmt(max(group, "jobs_per_sec")) + ")"
                            : "");
            System.out.printf(Locale.ROOT, format, first.scenario(), group.get(0).label(), group.size(),
                    count(median(group, "n")), rateText, fmt(median(group, "p50_ms")), fmt(median(group, "p99_ms")),
                    fmt(median(group, "cpu_cores")), fmt(cpuPerThousandJobs(group)), fmt(median(group, "peak_rss_mib")),
                    ratio(group, groups),
                    group.get(group.size() - 1).result.get("note"));
        }
        System.out.println();
        System.out.println("shigoto÷: shigoto's median jobs/s divided by the row's (for latency: the row's median p99"
                + " divided by shigoto's); above 1 means shigoto is ahead. Every number is of a warm run (see README).");
        System.out.println("CPU ms/1k: the JVM's CPU time per 1,000 jobs over the measured phase (cores / jobs/s), median"
                + " over the runs.");
        printRounds(groups);
    }

    /** shigoto's ratio to db-scheduler in each round of the continuous scenarios: the issue judges every run. */
    private void printRounds(Map<String, List<Row>> groups) {
        for (String scenario : groups.values().stream().map(g -> g.get(0).result.scenario())
                .filter(s -> s.startsWith("continuous")).distinct().toList()) {
            List<Row> ours = groups.getOrDefault(scenario + "|shigoto", List.of());
            List<Row> theirs = groups.getOrDefault(scenario + "|db-scheduler", List.of());
            StringBuilder line = new StringBuilder();
            for (Row o : ours) {
                theirs.stream().filter(t -> t.round == o.round).findFirst().ifPresent(t -> {
                    Double a = o.result.number("jobs_per_sec"), b = t.result.number("jobs_per_sec");
                    line.append(String.format(Locale.ROOT, " r%d=%s", o.round,
                            a != null && b != null && b > 0 ? String.format(Locale.ROOT, "%.2fx", a / b) : "-"));
                });
            }
            if (!line.isEmpty()) {
                System.out.println(scenario + " shigoto÷db-scheduler per round:" + line);
            }
        }
    }

    /** @return the median over the runs of the JVM's CPU milliseconds per 1,000 jobs, or null without both numbers */
    private static Double cpuPerThousandJobs(List<Row> group) {
        double[] perRun = group.stream().filter(r -> r.result.number("cpu_cores") != null
                && r.result.number("jobs_per_sec") != null && r.result.number("jobs_per_sec") > 0)
                .mapToDouble(r -> r.result.number("cpu_cores") / r.result.number("jobs_per_sec") * 1e6).sorted()
                .toArray();
        if (perRun.length == 0) {
            return null;
        }
        return perRun.length % 2 == 1 ? perRun[perRun.length / 2]
                : (perRun[perRun.length / 2 - 1] + perRun[perRun.length / 2]) / 2;
    }

    private static String ratio(List<Row> group, Map<String, List<Row>> groups) {
        ParsedResult first = group.get(0).result;
        if (first.system().equals("shigoto")) {
            return "";
        }
        List<Row> ours = groups.get(first.scenario() + "|shigoto");
        if (ours == null) {
            return "";
        }
        Double mine = median(ours, "jobs_per_sec"), theirs = median(group, "jobs_per_sec");
        if (mine != null && theirs != null && theirs > 0) {
            return String.format(Locale.ROOT, "%.2fx", mine / theirs);
        }
        Double myP99 = median(ours, "p99_ms"), theirP99 = median(group, "p99_ms");
        if (myP99 != null && theirP99 != null && myP99 > 0) {
            return String.format(Locale.ROOT, "%.2fx", theirP99 / myP99);
        }
        return "";
    }

    private static double[] values(List<Row> group, String key) {
        return group.stream().map(r -> r.result.number(key)).filter(Objects::nonNull).mapToDouble(Double::doubleValue)
                .sorted().toArray();
    }

    /** @return the median (the mean of the middle two for an even count), or null without values */
    static Double median(List<Row> group, String key) {
        double[] v = values(group, key);
        if (v.length == 0) {
            return null;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static Double min(List<Row> group, String key) {
        double[] v = values(group, key);
        return v.length == 0 ? null : v[0];
    }

    private static Double max(List<Row> group, String key) {
        double[] v = values(group, key);
        return v.length == 0 ? null : v[v.length - 1];
    }

    private static String fmt(Double d) {
        if (d == null) {
            return "";
        }
        return Math.abs(d) >= 100 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.2f", d);
    }

    private static String count(Double d) {
        return d == null || d == 0 ? "" : String.format(Locale.ROOT, "%.0f", d);
    }

    void write(Path results, Path resources) throws IOException {
        Files.createDirectories(results.getParent());
        StringBuilder r = new StringBuilder("scenario,system,variant,round,n,jobs_per_sec,p50_ms,p99_ms\n");
        StringBuilder m = new StringBuilder("scenario,system,variant,round,n,cpu_cores,peak_rss_mib,note\n");
        for (Row row : rows) {
            Function<String, String> f = row.result::get;
            r.append(String.join(",", f.apply("scenario"), f.apply("system"), row.variant, Integer.toString(row.round),
                    f.apply("n"), f.apply("jobs_per_sec"), f.apply("p50_ms"), f.apply("p99_ms"))).append('\n');
            m.append(String.join(",", f.apply("scenario"), f.apply("system"), row.variant, Integer.toString(row.round),
                    f.apply("n"), f.apply("cpu_cores"), f.apply("peak_rss_mib"), quoted(f.apply("note")))).append('\n');
        }
        Files.writeString(results, r);
        Files.writeString(resources, m);
    }

    private static String quoted(String note) {
        return "\"" + note.replace("\"", "\"\"") + "\"";
    }

}
