package io.quarkiverse.shigoto.bench.driver;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bench/run [N] [--jdbc-url URL --user U --password P] [--scenarios a,b] [--systems a,b] [--workers W]
 * [--repeat K] [--fast-unsafe] [--out DIR]}: runs each scenario K rounds, each round every system once (alternating),
 * one fresh JVM and one fresh database per run, and reports medians. {@code bench/run --soak 10m [--rate R]} runs
 * shigoto's soak with a short retention instead.
 */
public final class BenchDriver {

    static final List<String> SCENARIOS = List.of("burn-down", "continuous", "continuous-4", "continuous-jta",
            "bulk-insert", "single-insert", "latency", "unique-insert", "fair-partitions", "ten-queues");
    private static final long RUN_TIMEOUT_MINUTES = 20;

    /** The soak's retention of completed jobs and prune interval: short, so the table reaches its steady size. */
    static final String SOAK_RETENTION = "1m";
    static final String SOAK_PRUNE_INTERVAL = "5s";

    private final Path bench;
    private final Path logs;
    private final BenchDatabase db;
    private final int n;
    private final int workers;
    private final ResultTable table = new ResultTable();
    private int round;

    private BenchDriver(Path bench, Path logs, BenchDatabase db, int n, int workers) {
        this.bench = bench;
        this.logs = logs;
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
        int repeat = Integer.parseInt(option(args, "--repeat", "1"));
        boolean fastUnsafe = flag(args, "--fast-unsafe");
        String soak = option(args, "--soak", null);
        String rate = option(args, "--rate", null);
        Path bench = Path.of(option(args, "--bench-dir", "bench")).toAbsolutePath();
        Path out = Path.of(option(args, "--out", "target/bench")).toAbsolutePath();
        if (!args.isEmpty()) {
            throw new IllegalArgumentException("unknown arguments " + args);
        }
        if (repeat < 1) {
            throw new IllegalArgumentException("--repeat needs at least 1");
        }
        // one set of files per run, named by its start, so no run overwrites an earlier one
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
        Path logs = out.resolve("logs-" + stamp);
        try (BenchDatabase db = url != null ? BenchDatabase.external(url, user, password)
                : BenchDatabase.embedded(out.resolve("pg"), fastUnsafe)) {
            System.out.printf("shigoto bench: N=%d, workers=%d, repeat=%d, %s, %d cores%n", n, workers, repeat,
                    db.describe(), Runtime.getRuntime().availableProcessors());
            printSettings(db, fastUnsafe);
            if (soak != null) {
                System.out.printf("soak retention: completed jobs kept %s, pruned every %s%n", SOAK_RETENTION,
                        SOAK_PRUNE_INTERVAL);
            }
            BenchDriver driver = new BenchDriver(bench, logs, db, n, workers);
            if (soak != null) {
                driver.soak(seconds(soak), rate);
                return;
            }
            for (String scenario : scenarios) {
                for (driver.round = 1; driver.round <= repeat; driver.round++) {
                    for (String system : systems) {
                        driver.run(scenario, SystemUnderTest.byId(system));
                    }
                }
            }
            driver.table.print();
            Path results = out.resolve("results-" + stamp + ".csv");
            Path resources = out.resolve("resources-" + stamp + ".csv");
            driver.table.write(results, resources);
            System.out.println("wrote " + results + ", " + resources + " and the logs under " + logs);
        }
    }

    /** Prints what the server runs with; warns when an external one is not durable. */
    private static void printSettings(BenchDatabase db, boolean fastUnsafe) throws Exception {
        Map<String, String> settings = db.settings();
        StringBuilder line = new StringBuilder("server:");
        settings.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        boolean durable = BenchDatabase.durable(settings);
        System.out.println(line + (durable ? " (durable)" : " (NOT durable)"));
        if (!db.isEmbedded() && !durable && !fastUnsafe) {
            System.out.println("WARNING: this server does not run with production durability (fsync, synchronous_commit"
                    + " and full_page_writes on): the numbers are not production numbers");
        }
        if (!db.isEmbedded() && fastUnsafe) {
            System.out.println("note: --fast-unsafe cannot change an external server; it runs with its own settings");
        }
    }

    private void run(String scenario, SystemUnderTest system) throws Exception {
        if (!system.scenarios.contains(scenario)) {
            if (round == 1) {
                table.add(ParsedResult.absent(scenario, system.id, 0, notApplicable(scenario, system)), round, "");
            }
            return;
        }
        runOnce(scenario, system, scenarioArgs(scenario, system, null), "", List.of());
        if (system == SystemUnderTest.SQL_FLOOR && scenario.equals("burn-down")) {
            runOnce(scenario, system, scenarioArgs(scenario, system, 1000), "batch-1000", List.of());
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
            // as the engine did on average in this round's burn-down
            args.addAll(List.of("--batch", Integer.toString(floorBatch != null ? floorBatch : engineClaimBatch()),
                    "--connections", "2"));
        }
        return args;
    }

    /** @return the average claim size of shigoto's latest burn-down, or twice the workers without one */
    private int engineClaimBatch() {
        Matcher m = Pattern.compile("claim_avg=(\\d+)").matcher(table.latestNote("burn-down", "shigoto"));
        return m.find() ? Math.max(1, Integer.parseInt(m.group(1))) : 2 * workers;
    }

    private List<ParsedResult> runOnce(String scenario, SystemUnderTest system, List<String> scenarioArgs,
            String variant, List<String> jvmProperties) throws Exception {
        String url = db.create();
        Path log = logs.resolve(scenario + "-" + system.id + (variant.isEmpty() ? "" : "-" + variant) + "-r" + round
                + ".log");
        Files.createDirectories(log.getParent());
        List<String> cmd = system.command(bench, url, db.user(), db.password(), jvmProperties, scenarioArgs);
        System.out.printf("-- %s / %s%s, round %d ...%n", scenario, system.id, variant.isEmpty() ? "" : " " + variant,
                round);
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        List<ParsedResult> results = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("SOAK ")) {
                    System.out.println("   " + line);
                    results.add(ParsedResult.parse("RESULT " + line.substring("SOAK ".length())));
                } else if (line.startsWith("RESULT ")) {
                    System.out.println("   " + line);
                    ParsedResult result = ParsedResult.parse(line);
                    table.add(result, round, variant);
                    results.add(result);
                }
            }
        }
        if (!p.waitFor(RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        db.drop(url);
        if (results.isEmpty()) {
            System.out.printf("   no result (exit %s); see %s%n", p.isAlive() ? "timeout" : p.exitValue(), log);
            table.add(ParsedResult.absent(scenario, system.id, 0, "failed:see_" + log.getFileName()), round, variant);
        }
        return results;
    }

    /**
     * Runs shigoto's soak at 70 % of its measured burn-down rate (or the given rate) with a short retention, echoing
     * the per-minute lines, then judges whether they stayed flat.
     */
    private void soak(long seconds, String givenRate) throws Exception {
        round = 1;
        double rate;
        if (givenRate != null) {
            rate = Double.parseDouble(givenRate);
        } else {
            runOnce("burn-down", SystemUnderTest.SHIGOTO, scenarioArgs("burn-down", SystemUnderTest.SHIGOTO, null), "",
                    List.of());
            rate = 0.7 * table.rate("burn-down", "shigoto");
        }
        System.out.printf("-- soak for %d s at %.0f jobs/s, completed jobs kept %s, pruned every %s%n", seconds, rate,
                SOAK_RETENTION, SOAK_PRUNE_INTERVAL);
        List<String> args = new ArrayList<>(List.of("--scenario", "soak", "--n", "0", "--workers",
                Integer.toString(workers), "--seconds", Long.toString(seconds), "--rate", Long.toString((long) rate)));
        List<ParsedResult> lines = runOnce("soak", SystemUnderTest.SHIGOTO, args, "",
                List.of("-Dquarkus.shigoto.prune.completed=" + SOAK_RETENTION,
                        "-Dquarkus.shigoto.prune.interval=" + SOAK_PRUNE_INTERVAL));
        table.print();
        SoakSummary.print(lines.stream().filter(l -> !l.get("minute").isEmpty()).toList(), seconds(SOAK_RETENTION));
    }

    static long seconds(String duration) {
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
        if (system == SystemUnderTest.SQL_FLOOR) {
            return "n/a: the floor only claims and completes (burn-down) and copies (bulk-insert)";
        }
        return "n/a";
    }

    private static boolean flag(List<String> args, String name) {
        return args.remove(name);
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
