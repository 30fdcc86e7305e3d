package io.quarkiverse.shigoto.bench.common;

import java.util.HashMap;
import java.util.Map;

/**
 * The arguments every system process takes: {@code --scenario burn-down --n 200000 --jdbc-url ... --user ...
 * --password ... --workers 50 --seconds 10}. Unknown flags are kept for the system to read.
 */
public final class BenchArgs {

    /** The scenarios that get an unmeasured warm-up run in the same process before the measured one. */
    public static final java.util.Set<String> WARMED = java.util.Set.of("burn-down", "continuous", "continuous-4",
            "continuous-jta", "bulk-insert", "single-insert", "unique-insert", "fair-partitions", "ten-queues");

    /** A warm-up run of a counted scenario does a tenth of its jobs, at most this many. */
    public static final int WARM_UP_CAP = 20_000;

    /** A warm-up run of a timed scenario (continuous*) lasts this long. */
    public static final int WARM_UP_SECONDS = 3;

    /** Latency probes every system runs, unmeasured, before its measured ones. */
    public static final int WARM_UP_PROBES = 10;

    private final Map<String, String> values = new HashMap<>();

    private BenchArgs() {
    }

    public static BenchArgs parse(String[] args) {
        BenchArgs parsed = new BenchArgs();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
            }
            parsed.values.put(args[i].substring(2), args[++i]);
        }
        return parsed;
    }

    public String scenario() {
        return require("scenario");
    }

    public int n() {
        return Integer.parseInt(require("n"));
    }

    public String jdbcUrl() {
        return require("jdbc-url");
    }

    public String user() {
        return get("user", "postgres");
    }

    public String password() {
        return get("password", "postgres");
    }

    /** @return worker threads (or concurrency slots) of the system under test */
    public int workers() {
        return Integer.parseInt(get("workers", "50"));
    }

    /** @return how long a timed scenario (continuous, soak) runs */
    public int seconds() {
        return Integer.parseInt(get("seconds", "10"));
    }

    /** @return whether this scenario gets a warm-up run ({@link #WARMED}, unless {@code --warm-up false}) */
    public boolean warmed() {
        return WARMED.contains(scenario()) && Boolean.parseBoolean(get("warm-up", "true"));
    }

    /**
     * @return the arguments of the scenario's warm-up run: a tenth of the jobs (1 to {@link #WARM_UP_CAP}), or
     *         {@link #WARM_UP_SECONDS} for a timed scenario
     */
    public BenchArgs warmUp() {
        BenchArgs warm = new BenchArgs();
        warm.values.putAll(values);
        warm.values.put("n", Integer.toString(Math.max(1, Math.min(n() / 10, WARM_UP_CAP))));
        warm.values.put("seconds", Integer.toString(WARM_UP_SECONDS));
        warm.values.put("warm-up-run", "true");
        return warm;
    }

    /** @return whether these are the arguments of a warm-up run */
    public boolean isWarmUpRun() {
        return Boolean.parseBoolean(get("warm-up-run", "false"));
    }

    /** @return producer threads of the continuous scenarios: 4 for {@code continuous-4}, else 1 */
    public int producers() {
        return Integer.parseInt(get("producers", scenario().equals("continuous-4") ? "4" : "1"));
    }

    public String get(String name, String defaultValue) {
        return values.getOrDefault(name, defaultValue);
    }

    private String require(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return v;
    }
}
