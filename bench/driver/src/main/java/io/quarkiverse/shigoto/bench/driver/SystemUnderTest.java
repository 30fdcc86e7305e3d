package io.quarkiverse.shigoto.bench.driver;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A benchmarked system: how to start its process and which scenarios it can run.
 */
enum SystemUnderTest {

    SHIGOTO("shigoto",
            Set.of("burn-down", "continuous", "continuous-4", "continuous-jta", "bulk-insert", "single-insert", "unique-insert",
                    "latency",
                    "ten-queues", "fair-partitions", "dashboard", "prune", "prune-control", "wake-ups", "batch-insert",
                    "batch-burn-down", "encrypted-insert", "encrypted-burn-down", "overload", "overload-shedding")),
    /** shigoto with quarkus-opentelemetry tracing every attempt (bench/app-otel), for what tracing costs. */
    SHIGOTO_OTEL("shigoto-otel", Set.of("burn-down", "continuous", "bulk-insert", "single-insert", "latency")),
    JOBRUNR("jobrunr", Set.of("burn-down", "continuous", "continuous-4", "continuous-jta", "bulk-insert", "single-insert",
            "latency")),
    DB_SCHEDULER("db-scheduler", Set.of("burn-down", "continuous", "continuous-4", "continuous-jta", "bulk-insert",
            "single-insert", "latency")),
    SQL_FLOOR("sql-floor", Set.of("burn-down", "bulk-insert"));

    /** The heap every JVM gets, so memory figures compare like with like. */
    static final String HEAP = "-Xmx1g";

    final String id;
    final Set<String> scenarios;

    SystemUnderTest(String id, Set<String> scenarios) {
        this.id = id;
        this.scenarios = scenarios;
    }

    static SystemUnderTest byId(String id) {
        for (SystemUnderTest s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown system " + id);
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * @param jvmProperties {@code -D} options for this run's JVM (the soak's retention)
     * @return the command running one scenario of this system against a database
     */
    List<String> command(Path bench, String jdbcUrl, String user, String password, List<String> jvmProperties,
            List<String> scenarioArgs) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, HEAP, "-XX:+UseG1GC"));
        // extra JVM options for one system, e.g. SHIGOTO_BENCH_JAVA_OPTS_SHIGOTO="-XX:StartFlightRecording=..."
        String extra = System.getenv("SHIGOTO_BENCH_JAVA_OPTS_" + name());
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.addAll(jvmProperties);
        switch (this) {
            case SHIGOTO, SHIGOTO_OTEL -> {
                cmd.add("-Dquarkus.datasource.jdbc.url=" + jdbcUrl);
                cmd.add("-Dquarkus.datasource.username=" + user);
                cmd.add("-Dquarkus.datasource.password=" + password);
                // the dashboard scenario requests pages over HTTP; any free port, so runs never collide
                cmd.add("-Dquarkus.http.port=" + freePort());
                cmd.add("-Dshigoto.bench.system=" + id);
                cmd.add("-jar");
                cmd.add(bench.resolve((this == SHIGOTO ? "app" : "app-otel") + "/target/quarkus-app/quarkus-run.jar")
                        .toString());
            }
            default -> {
                Path peers = bench.resolve("peers/target");
                cmd.add("-cp");
                cmd.add(peers.resolve("shigoto-bench-peers-999-SNAPSHOT.jar") + ":" + peers.resolve("lib") + "/*");
                cmd.add("io.quarkiverse.shigoto.bench.peers." + switch (this) {
                    case JOBRUNR -> "JobRunrBench";
                    case DB_SCHEDULER -> "DbSchedulerBench";
                    default -> "SqlFloorBench";
                });
            }
        }
        cmd.addAll(List.of("--jdbc-url", jdbcUrl, "--user", user, "--password", password));
        cmd.addAll(scenarioArgs);
        return cmd;
    }
}
