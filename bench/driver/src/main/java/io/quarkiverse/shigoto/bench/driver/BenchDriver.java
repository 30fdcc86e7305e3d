package io.quarkiverse.shigoto.bench.driver;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench/run [N] [--jdbc-url URL --user U --password P] [--scenarios a,b] [--systems a,b] [--workers W]}:
 * runs each scenario against each system, one fresh JVM and one fresh database per run, and reports.
 * {@code bench/run --soak 10m [--rate R]} runs shigoto's soak instead.
 */
public final class BenchDriver {

    static final List<String> SCENARIOS = List.of("burn-down", "continuous", "bulk-insert", "single-insert",
            "latency", "unique-insert", "fair-partitions", "ten-queues");
    private static final long RUN_TIMEOUT_MINUTES = 20;

    private final Path bench;
    private final Path out;
    private final BenchDatabase db;
    private final int n;
    private final int workers;
    private final ResultTable table = new ResultTable();

    private BenchDriver(Path bench, Path out, BenchDatabase db, int n, int workers) {
        this.bench = bench;
        this.out = out;
        this.db = db;
        this.n = n;
        this.workers = workers;
    }

    public static void main(String[] argv) throws Exception {
        List<String> args = new ArrayList<>(Arrays.asList(argv));
        int n = 200_000;
        if (!args.isEmpty() && !args.get(0).startsWith("--")) {
            n = Integer.parseInt(args.remove(0).replace("_", ""));
        }
        String url = option(args, "--jdbc-url", System.getenv("SHIGOTO_BENCH_DB_URL"));
        String user = option(args, "--user", "postgres");
        String password = option(args, "--password", "postgres");
        List<String> scenarios = List.of(option(args, "--scenarios", String.join(",", SCENARIOS)).split(","));
        List<String> systems = List.of(option(args, "--systems", "shigoto,jobrunr,db-scheduler,sql-floor").split(","));
        int workers = Integer.parseInt(option(args, "--workers", "50"));
        String soak = option(args, "--soak", null);
        String rate = option(args, "--rate", null);
        Path bench = Path.of(option(args, "--bench-dir", "bench")).toAbsolutePath();
        Path out = Path.of(option(args, "--out", "target/bench")).toAbsolutePath();
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("unknown arguments " + args);
        }
        try (BenchDatabase db = url != null ? BenchDatabase.external(url, user, password)
                : BenchDatabase.embedded(out.resolve("pg"))) {
            System.out.printf("shigoto bench: N=%d, workers=%d, %s, %d cores%n", n, workers, db.describe(),
                    Runtime.getRuntime().availableProcessors());
            BenchDriver driver = new BenchDriver(bench, out, db, n, workers);
            if (soak != null) {
                driver.soak(seconds(soak), rate);
                return;
            }
            for (String scenario : scenarios) {
                for (String system : systems) {
                    driver.run(scenario, SystemUnderTest.byId(system));
                }
            }
            driver.table.print();
            driver.table.write(out);
            System.out.println("wrote " + out.resolve("results.csv") + " and " + out.resolve("resources.csv"));
        }
    }

    private void run(String scenario, SystemUnderTest system) throws Exception {
        if (!system.scenarios.contains(scenario)) {
            table.add(ParsedResult.absent(scenario, system.id, 0, notApplicable(scenario, system)));
            return;
        }
        runOnce(scenario, system, scenarioArgs(scenario, system, null));
        if (system == SystemUnderTest.SQL_FLOOR && scenario.equals("burn-down")) {
            runOnce(scenario, system, scenarioArgs(scenario, system, 1000));
        }
    }

    private List<String> scenarioArgs(String scenario, SystemUnderTest system, Integer floorBatch) {
        int count = switch (scenario) {
            case "single-insert", "unique-insert" -> Math.max(1_000, Math.min(n / 10, 20_000));
            case "latency" -> 300;
            default -> n;
        };
        List<String> args = new ArrayList<>(List.of("--scenario", scenario, "--n", Integer.toString(count),
                "--workers", Integer.toString(workers), "--seconds", Integer.toString(n >= 100_000 ? 15 : 5)));
        if (system == SystemUnderTest.SQL_FLOOR) {
            // the engine claims on one connection and completes on another; the floor claims as many jobs at a time
            // as the engine did on average in this run's burn-down
            args.addAll(List.of("--batch", Integer.toString(floorBatch != null ? floorBatch : engineClaimBatch()),
                    "--connections", "2"));
            if (floorBatch != null) {
                args.addAll(List.of("--reference", "true"));
            }
        }
        return args;
    }

    /** @return the average claim size shigoto reported in this run's burn-down, or twice the workers without one */
    private int engineClaimBatch() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("claim_avg=(\\d+)")
                .matcher(table.note("burn-down", "shigoto"));
        return m.find() ? Math.max(1, Integer.parseInt(m.group(1))) : 2 * workers;
    }

    private void runOnce(String scenario, SystemUnderTest system, List<String> scenarioArgs) throws Exception {
        String url = db.create();
        Path log = out.resolve("logs").resolve(scenario + "-" + system.id + ".log");
        Files.createDirectories(log.getParent());
        List<String> cmd = system.command(bench, url, db.user(), db.password(), scenarioArgs);
        System.out.printf("-- %s / %s ...%n", scenario, system.id);
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        List<ParsedResult> results = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("SOAK ")) {
                    System.out.println("   " + line);
                } else if (line.startsWith("RESULT ")) {
                    System.out.println("   " + line);
                    results.add(ParsedResult.parse(line));
                }
            }
        }
        if (!p.waitFor(RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        db.drop(url);
        if (results.isEmpty()) {
            System.out.printf("   no result (exit %s); see %s%n", p.isAlive() ? "timeout" : p.exitValue(), log);
            table.add(ParsedResult.absent(scenario, system.id, 0, "failed:see_" + log.getFileName()));
        }
        results.forEach(table::add);
    }

    /**
     * Runs shigoto's soak at 70 % of its measured burn-down rate (or the given rate), echoing the per-minute lines.
     */
    private void soak(long seconds, String givenRate) throws Exception {
        double rate;
        if (givenRate != null) {
            rate = Double.parseDouble(givenRate);
        } else {
            runOnce("burn-down", SystemUnderTest.SHIGOTO, scenarioArgs("burn-down", SystemUnderTest.SHIGOTO, null));
            rate = 0.7 * table.rate("burn-down", "shigoto");
        }
        System.out.printf("-- soak for %d s at %.0f jobs/s%n", seconds, rate);
        List<String> args = new ArrayList<>(List.of("--scenario", "soak", "--n", "0", "--workers",
                Integer.toString(workers), "--seconds", Long.toString(seconds), "--rate", Long.toString((long) rate)));
        runOnce("soak", SystemUnderTest.SHIGOTO, args);
        table.print();
    }

    private static long seconds(String duration) {
        String d = duration.trim();
        char unit = d.charAt(d.length() - 1);
        long value = Character.isDigit(unit) ? Long.parseLong(d) : Long.parseLong(d.substring(0, d.length() - 1));
        return switch (unit) {
            case 'h' -> value * 3600;
            case 'm' -> value * 60;
            default -> value;
        };
    }

    private static String notApplicable(String scenario, SystemUnderTest system) {
        if (scenario.equals("ten-queues") || scenario.equals("fair-partitions")) {
            return "n/a: no queues or partitions in its open-source edition";
        }
        if (scenario.equals("unique-insert")) {
            return "n/a: unique jobs are not part of its open-source edition";
        }
        return "n/a";
    }

    private static String option(List<String> args, String name, String defaultValue) {
        int i = args.indexOf(name);
        if (i < 0) {
            return defaultValue;
        }
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        String v = args.get(i + 1);
        args.remove(i + 1);
        args.remove(i);
        return v;
    }
}
