package io.quarkiverse.shigoto.bench.app;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.BatchRequest;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.Unique;
import io.quarkiverse.shigoto.UniqueOptions;
import io.quarkiverse.shigoto.Worker;
import io.quarkiverse.shigoto.bench.common.BenchArgs;
import io.quarkiverse.shigoto.bench.common.BenchResult;
import io.quarkiverse.shigoto.bench.common.ProcessMeter;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Runs one benchmark scenario against shigoto and prints its result line. The engine is built here (the
 * application's own is disabled) so a scenario decides when workers start.
 */
@QuarkusMain
public class BenchMain implements QuarkusApplication {

    /** The system this run reports: {@code shigoto}, or {@code shigoto-otel} for the build with tracing. */
    static final String SYSTEM = System.getProperty("shigoto.bench.system", "shigoto");
    private static final int INSERT_CHUNK = 10_000;
    private static final long TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(20);

    @Inject
    Shigoto shigoto;

    @Inject
    NodeHarness runtime;

    @Inject
    BenchJobs jobs;

    @Inject
    AgroalDataSource dataSource;

    public static void main(String[] args) {
        Quarkus.run(BenchMain.class, args);
    }

    @Override
    public int run(String... argv) throws Exception {
        BenchArgs args = BenchArgs.parse(argv);
        if (args.scenario().equals("prune") || args.scenario().equals("prune-control")) {
            PruneLoad.run(args, runtime, shigoto, dataSource, jobs, args.scenario().equals("prune-control"))
                    .forEach(BenchResult::print);
            return 0;
        }
        if (args.scenario().equals("wake-ups")) {
            WakeupLoad.run(args, runtime, shigoto, dataSource, jobs).forEach(BenchResult::print);
            return 0;
        }
        if (args.warmed()) {
            // the same scenario, smaller, in this JVM: the measured run then meets compiled code on an empty table
            scenario(args.warmUp());
            reset();
        }
        scenario(args).print();
        return 0;
    }

    private BenchResult scenario(BenchArgs args) throws Exception {
        return switch (args.scenario()) {
            case "burn-down" -> burnDown(args, Map.of("bench", args.workers()), "burn-down", NoopWorker.class);
            case "encrypted-burn-down" -> burnDown(args, Map.of("bench", args.workers()), "encrypted-burn-down",
                    EncryptedNoopWorker.class);
            case "ten-queues" -> burnDown(args, tenQueues(args.workers()), "ten-queues", NoopWorker.class);
            case "bulk-insert" -> bulkInsert(args, NoopWorker.class, "bulk-insert");
            case "encrypted-insert" -> bulkInsert(args, EncryptedNoopWorker.class, "encrypted-insert");
            case "batch-insert" -> batchInsert(args);
            case "batch-burn-down" -> batchBurnDown(args);
            case "single-insert" -> singleInsert(args);
            case "unique-insert" -> uniqueInsert(args);
            case "fair-partitions" -> fairPartitions(args);
            case "dashboard" -> DashboardTimings.run(args, shigoto, dataSource);
            case "latency" -> latency(args);
            case "continuous", "continuous-4", "continuous-jta" -> ContinuousRun.run(args, runtime, shigoto, dataSource,
                    jobs);
            case "soak" -> soak(args);
            case "overload", "overload-shedding" -> OverloadRun.run(args, runtime, shigoto, dataSource);
            default -> throw new IllegalArgumentException("unknown scenario " + args.scenario());
        };
    }

    /** Brings the database back to empty after a warm-up run, as the peers truncate their tables. */
    private void reset() throws SQLException {
        try (Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement()) {
            st.execute("TRUNCATE shigoto_jobs, shigoto_job_deps, shigoto_jobs_archive, shigoto_stats, shigoto_batches");
            st.execute("DROP TABLE IF EXISTS bench_users");
        }
        jobs.reset();
    }

    private static Map<String, Integer> tenQueues(int workers) {
        Map<String, Integer> queues = new java.util.TreeMap<>();
        for (int q = 0; q < 10; q++) {
            queues.put("bench-" + q, Math.max(1, workers / 5));
        }
        return queues;
    }

    /** Inserts n jobs with the engine stopped, then times the engine working them off. */
    private BenchResult burnDown(BenchArgs args, Map<String, Integer> queues, String scenario,
            Class<? extends Worker> worker) throws Exception {
        int n = args.n();
        List<String> names = new ArrayList<>(queues.keySet());
        for (int from = 0; from < n; from += INSERT_CHUNK) {
            List<JobRequest> chunk = new ArrayList<>(INSERT_CHUNK);
            for (int i = from; i < Math.min(n, from + INSERT_CHUNK); i++) {
                chunk.add(JobRequest.of(worker).queue(names.get(i % names.size())));
            }
            shigoto.insertAll(chunk);
        }
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        Engine engine = runtime.startEngine(runtime.settings("bench-node").withQueues(queues));
        awaitCount(jobs.performed::sum, n);
        awaitUnfinished(0);
        double seconds = (System.nanoTime() - start) / 1e9;
        long claims = engine.producers().values().stream().mapToLong(p -> p.claims()).sum();
        long claimed = engine.producers().values().stream().mapToLong(p -> p.claimed()).sum();
        BenchResult result = BenchResult.rate(scenario, SYSTEM, n, seconds).withProcess(meter)
                .withNote("workers=" + queues.values().stream().mapToInt(Integer::intValue).sum()
                        + ",claim_avg=" + (claims == 0 ? 0 : claimed / claims)
                        + ",complete_avg=" + (engine.completer().writes() == 0 ? 0
                                : engine.completer().written() / engine.completer().writes()));
        engine.stop();
        return result;
    }

    /** @return n no-op jobs, each with its number as args */
    private static List<JobRequest> numberedJobs(int n, Class<? extends Worker> worker) {
        List<JobRequest> requests = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            requests.add(JobRequest.of(worker).arg("i", i));
        }
        return requests;
    }

    private BenchResult bulkInsert(BenchArgs args, Class<? extends Worker> worker, String scenario) {
        int n = args.n();
        List<JobRequest> requests = numberedJobs(n, worker);
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        shigoto.insertAll(requests);
        return BenchResult.rate(scenario, SYSTEM, n, (System.nanoTime() - start) / 1e9).withProcess(meter)
                .withNote("one insertAll call");
    }

    /** bulk-insert's jobs as the members of one batch, with a callback: compare with bulk-insert. */
    private BenchResult batchInsert(BenchArgs args) {
        int n = args.n();
        List<JobRequest> requests = numberedJobs(n, NoopWorker.class);
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        shigoto.insertBatch(BatchRequest.of(requests).onFinished(JobRequest.of(NoopWorker.class).queue("bench-done")));
        return BenchResult.rate("batch-insert", SYSTEM, n, (System.nanoTime() - start) / 1e9).withProcess(meter)
                .withNote("one insertBatch call");
    }

    /**
     * burn-down's jobs as the members of one batch (added in burn-down's chunks, then sealed), timed until the last
     * member ran and the batch finished: compare with burn-down for what counting members costs.
     */
    private BenchResult batchBurnDown(BenchArgs args) throws Exception {
        int n = args.n();
        long batch = shigoto.insertBatch(BatchRequest.of().open()
                .onFinished(JobRequest.of(NoopWorker.class).queue("bench-done"))).id();
        for (int from = 0; from < n; from += INSERT_CHUNK) {
            List<JobRequest> chunk = new ArrayList<>(INSERT_CHUNK);
            for (int i = from; i < Math.min(n, from + INSERT_CHUNK); i++) {
                chunk.add(JobRequest.of(NoopWorker.class).queue("bench"));
            }
            shigoto.addToBatch(batch, chunk);
        }
        shigoto.sealBatch(batch);
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        Engine engine = runtime.startEngine(runtime.settings("bench-node").withQueues(Map.of("bench", args.workers())));
        awaitCount(jobs.performed::sum, n);
        awaitCount(() -> batchFinished(batch) ? 1 : 0, 1);
        double seconds = (System.nanoTime() - start) / 1e9;
        engine.stop();
        return BenchResult.rate("batch-burn-down", SYSTEM, n, seconds).withProcess(meter)
                .withNote("workers=" + args.workers() + ",one batch of every job");
    }

    private BenchResult singleInsert(BenchArgs args) {
        int n = args.n();
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            shigoto.insert(JobRequest.of(NoopWorker.class).arg("i", i));
        }
        return BenchResult.rate("single-insert", SYSTEM, n, (System.nanoTime() - start) / 1e9).withProcess(meter)
                .withNote("one thread, one transaction per job");
    }

    /**
     * The burn-down through a fair queue: N jobs over 100 partition keys, half of them of one big tenant, claimed
     * round-robin across the keys; compare with burn-down for what fairness costs.
     */
    private BenchResult fairPartitions(BenchArgs args) throws Exception {
        int n = args.n();
        for (int from = 0; from < n; from += INSERT_CHUNK) {
            List<JobRequest> chunk = new ArrayList<>(INSERT_CHUNK);
            for (int i = from; i < Math.min(n, from + INSERT_CHUNK); i++) {
                String tenant = i % 2 == 0 ? "tenant-0" : "tenant-" + (1 + (i / 2) % 99);
                chunk.add(JobRequest.of(NoopWorker.class).queue("bench-fair").partitionKey(tenant));
            }
            shigoto.insertAll(chunk);
        }
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        Engine engine = runtime.startEngine(runtime.settings("bench-node")
                .withQueues(Map.of("bench-fair", args.workers())).withFairQueues(java.util.Set.of("bench-fair")));
        awaitCount(jobs.performed::sum, n);
        awaitUnfinished(0);
        double seconds = (System.nanoTime() - start) / 1e9;
        long claims = engine.producers().values().stream().mapToLong(p -> p.claims()).sum();
        long claimed = engine.producers().values().stream().mapToLong(p -> p.claimed()).sum();
        engine.stop();
        return BenchResult.rate("fair-partitions", SYSTEM, n, seconds).withProcess(meter)
                .withNote("100 partitions, one with half the jobs; claim_avg=" + (claims == 0 ? 0 : claimed / claims));
    }

    /**
     * Single inserts of unique jobs (all keys distinct, so every insert stores a row through the unique index), to
     * compare with single-insert; the note adds insertAll of the same number of unique jobs in chunks of 1,000.
     */
    private BenchResult uniqueInsert(BenchArgs args) {
        int n = args.n();
        UniqueOptions unique = UniqueOptions.by(Unique.Key.WORKER, Unique.Key.ARGS);
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            shigoto.insert(JobRequest.of(NoopWorker.class).arg("u", i).unique(unique));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long bulkStart = System.nanoTime();
        for (int from = 0; from < n; from += 1_000) {
            List<JobRequest> chunk = new ArrayList<>(1_000);
            for (int i = from; i < Math.min(n, from + 1_000); i++) {
                chunk.add(JobRequest.of(NoopWorker.class).arg("bulk-u", i).unique(unique));
            }
            shigoto.insertAll(chunk);
        }
        double bulkSeconds = (System.nanoTime() - bulkStart) / 1e9;
        return BenchResult.rate("unique-insert", SYSTEM, n, seconds).withProcess(meter)
                .withNote("one thread, one transaction per job; insertAll of unique jobs in chunks of 1000: "
                        + Math.round(n / bulkSeconds) + " jobs/s");
    }

    /** Insert-to-start on an idle system: one probe at a time, each waited for. */
    private BenchResult latency(BenchArgs args) throws Exception {
        int samples = Math.min(args.n(), Integer.parseInt(args.get("latency-samples", "1000")));
        Engine engine = runtime.startEngine(runtime.settings("bench-node").withQueues(Map.of("bench", args.workers())));
        try {
            for (int i = 0; i < BenchArgs.WARM_UP_PROBES; i++) {
                probe(-1 - i); // warm-up, not counted; every system gets as many
            }
            // the peers pause between probes so each meets an idle system; so does this
            long gapMillis = Long.parseLong(args.get("latency-gap-ms", "50"));
            double[] millis = new double[samples];
            for (int i = 0; i < samples; i++) {
                TimeUnit.MILLISECONDS.sleep(gapMillis);
                millis[i] = probe(i) / 1e6;
            }
            Arrays.sort(millis);
            return new BenchResult("latency", SYSTEM, samples, null, null, null, null, null, null)
                    .withLatency(BenchResult.percentile(millis, 50), BenchResult.percentile(millis, 99))
                    .withNote("p95=" + String.format(java.util.Locale.ROOT, "%.2f", BenchResult.percentile(millis, 95))
                            + ",gap=" + gapMillis + "ms");
        } finally {
            engine.stop();
        }
    }

    private long probe(long id) {
        long before = System.nanoTime();
        shigoto.insert(JobRequest.of(NoopWorker.class).arg("probe", id));
        long deadline = before + TimeUnit.SECONDS.toNanos(30);
        Long started;
        while ((started = jobs.startedNanos.get(id)) == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("probe " + id + " did not start within 30 s");
            }
            LockSupport.parkNanos(20_000);
        }
        return started - before;
    }

    /**
     * Inserts at a fixed rate (small insertAll batches, paced) while the engine works, for the given time, printing
     * throughput, memory and table size every minute: all should stay flat.
     */
    private BenchResult soak(BenchArgs args) throws Exception {
        double rate = Double.parseDouble(args.get("rate", "5000"));
        // one insertAll every 10 ms, sized to the rate
        int batch = Math.max(1, (int) Math.round(rate / 100));
        long periodNanos = (long) (batch / rate * 1e9);
        Engine engine = runtime.startEngine(runtime.settings("bench-node").withQueues(Map.of("bench", args.workers())));
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(args.seconds());
        Thread producer = new Thread(() -> {
            long next = System.nanoTime();
            while (next < end) {
                List<JobRequest> requests = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    requests.add(JobRequest.of(NoopWorker.class));
                }
                shigoto.insertAll(requests);
                next += periodNanos;
                LockSupport.parkNanos(next - System.nanoTime());
            }
        }, "bench-soak-producer");
        producer.start();
        ProcessMeter meter = ProcessMeter.start();
        long lastCount = jobs.performed.sum();
        long lastAt = System.nanoTime();
        int minute = 0;
        while (System.nanoTime() < end) {
            long wake = Math.min(end, lastAt + TimeUnit.SECONDS.toNanos(60));
            TimeUnit.NANOSECONDS.sleep(Math.max(0, wake - System.nanoTime()));
            long count = jobs.performed.sum();
            long now = System.nanoTime();
            System.out.printf(java.util.Locale.ROOT, "SOAK minute=%d jobs_per_sec=%.0f rss_mib=%.0f heap_used_mib=%.0f %s%n",
                    ++minute, (count - lastCount) / ((now - lastAt) / 1e9), currentRssMib(),
                    (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0, tableStats());
            System.out.flush();
            lastCount = count;
            lastAt = now;
        }
        producer.join();
        long total = jobs.performed.sum();
        BenchResult result = new BenchResult("soak", SYSTEM, total, total / ((System.nanoTime() - start) / 1e9),
                null, null, null, null, "target_rate=" + (long) rate).withProcess(meter);
        engine.stop();
        return result;
    }

    private String tableStats() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT n_live_tup, n_dead_tup,"
                        + " pg_total_relation_size('shigoto_jobs') / 1048576.0 FROM pg_stat_user_tables"
                        + " WHERE relname = 'shigoto_jobs'");
                ResultSet rs = st.executeQuery()) {
            return rs.next() ? String.format(java.util.Locale.ROOT, "live_rows=%d dead_rows=%d table_mib=%.1f",
                    rs.getLong(1), rs.getLong(2), rs.getDouble(3)) : "";
        }
    }

    private static double currentRssMib() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) / 1024.0;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }

    private static void awaitCount(LongSupplier count, long target) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (count.getAsLong() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + count.getAsLong() + " of " + target + " jobs ran in time");
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    /** Waits until the last outcomes are written: the rate counts jobs the database knows are done. */
    private void awaitUnfinished(long target) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (unfinished() > target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("outcomes were not written in time");
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    private boolean batchFinished(long batch) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(
                        "SELECT finished_at IS NOT NULL FROM shigoto_batches WHERE id = ?")) {
            st.setLong(1, batch);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long unfinished() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(
                        "SELECT count(*) FROM shigoto_jobs WHERE state IN ('available', 'executing')");
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
