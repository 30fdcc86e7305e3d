package io.quarkiverse.shigoto.bench.common;

import java.util.HashMap;
import java.util.Map;

/**
 * The arguments every system process takes: {@code --scenario burn-down --n 200000 --jdbc-url ... --user ...
 * --password ... --workers 50 --seconds 10}. Unknown flags are kept for the system to read.
 */
public final class BenchArgs {

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
