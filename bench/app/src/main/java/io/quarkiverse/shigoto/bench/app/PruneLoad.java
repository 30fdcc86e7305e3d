package io.quarkiverse.shigoto.bench.app;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.bench.common.BenchArgs;
import io.quarkiverse.shigoto.bench.common.BenchResult;
import io.quarkiverse.shigoto.bench.common.ProcessMeter;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeHarness;

/**
 * Pruning while claims go on: N completed jobs that finished two days ago fill the table (past the default one-day
 * retention); then the engine works new jobs that a feeder keeps waiting (a steady backlog, so workers never idle)
 * while, after a window without pruning, the leader's pruner deletes the old jobs with the configured batch size.
 * Rows: completed jobs per second before, during and after pruning, and pruned rows per second. Progress is read
 * from the oldest old job left (they finished one millisecond apart, in id order), one index probe per half second.
 * The control run ({@code prune-control}) keeps the same timeline without a pruner: the new jobs' own dead rows slow
 * claims down as the run goes on, and the control tells that apart from what pruning costs.
 */
final class PruneLoad {

    private static final int FEED_CHUNK = 5_000;
    private static final long BACKLOG = 20_000;
    private static final long POLL_MILLIS = 500;
    private static final long TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(20);

    private PruneLoad() {
    }

    /**
     * @param control run the same timeline without a pruner (rows named {@code control-*}), its middle window as long
     *        as four windows, to tell what pruning costs from what the growing table costs
     */
    static List<BenchResult> run(BenchArgs args, NodeHarness runtime, Shigoto shigoto, AgroalDataSource dataSource,
            BenchJobs jobs, boolean control) throws Exception {
        int n = args.n();
        long[] ids = fill(dataSource, n);
        long window = TimeUnit.SECONDS.toNanos(args.seconds());
        Engine.Settings settings = runtime.settings("bench-node").withQueues(Map.of("bench", args.workers()));
        Engine.Maintenance maintenance = settings.maintenance();
        if (maintenance.prune() == null) {
            throw new IllegalStateException("quarkus.shigoto.prune.enabled is false");
        }
        // the first prune comes after the warm-up and the window without pruning
        Duration firstPrune = Duration.ofNanos(TimeUnit.SECONDS.toNanos(3) + window);
        settings = settings.withMaintenance(maintenance.withPrune(control ? null : maintenance.prune(), firstPrune));
        String phase = control ? "control-" : "prune-";

        AtomicBoolean feeding = new AtomicBoolean(true);
        AtomicLong fed = new AtomicLong();
        Thread feeder = new Thread(() -> feed(shigoto, jobs, fed, feeding), "bench-prune-feeder");
        feeder.start();
        Engine engine = runtime.startEngine(settings);
        try {
            TimeUnit.SECONDS.sleep(2);
            List<BenchResult> rows = new ArrayList<>();
            rows.add(window(jobs, window, phase + "before").withNote(n + " old finished jobs in the table, "
                    + (control ? "no pruner in this run" : "pruner not started")));
            if (control) {
                rows.add(window(jobs, 4 * window, "control-during").withNote("the span pruning takes, without it"));
            } else {
                rows.addAll(pruning(dataSource, ids, jobs, maintenance.prune().batchSize()));
            }
            rows.add(window(jobs, window, phase + "after")
                    .withNote("then: " + deadRows(dataSource) + " dead rows left for vacuum"));
            return rows;
        } finally {
            feeding.set(false);
            feeder.join();
            engine.stop();
        }
    }

    /** @return the claims while the pruner deleted the old jobs, and its rate */
    private static List<BenchResult> pruning(AgroalDataSource dataSource, long[] ids, BenchJobs jobs, int batchSize)
            throws SQLException, InterruptedException {
        Mark first = awaitRemaining(dataSource, ids, jobs, r -> r < ids[1] - ids[0] + 1, "pruning to start");
        ProcessMeter meter = ProcessMeter.start();
        Mark done = awaitRemaining(dataSource, ids, jobs, r -> r == 0, "pruning to finish");
        double seconds = (done.nanos - first.nanos) / 1e9;
        BenchResult during = done.claimsSince(first, "prune-during").withProcess(meter)
                .withNote("while the leader pruned, batch " + batchSize);
        BenchResult rate = new BenchResult("prune-rate", BenchMain.SYSTEM, first.remaining, first.remaining / seconds,
                null, null, null, null, String.format(java.util.Locale.ROOT,
                        "rows deleted per second: %d in %.1f s, batch %d", first.remaining, seconds, batchSize));
        return List.of(during, rate);
    }

    /** @return completed jobs per second over the next {@code nanos} */
    private static BenchResult window(BenchJobs jobs, long nanos, String scenario) throws InterruptedException {
        ProcessMeter meter = ProcessMeter.start();
        Mark start = Mark.now(jobs, 0);
        TimeUnit.NANOSECONDS.sleep(nanos);
        return Mark.now(jobs, 0).claimsSince(start, scenario).withProcess(meter);
    }

    /** A reading: when, how many jobs had run, how many old jobs were left. */
    private record Mark(long nanos, long performed, long remaining) {

        static Mark now(BenchJobs jobs, long remaining) {
            return new Mark(System.nanoTime(), jobs.performed.sum(), remaining);
        }

        BenchResult claimsSince(Mark start, String scenario) {
            long done = performed - start.performed;
            return new BenchResult(scenario, BenchMain.SYSTEM, done, done / ((nanos - start.nanos) / 1e9), null, null,
                    null, null, null);
        }
    }

    /** @return the first and last id of n completed jobs, finished two days ago one millisecond apart */
    private static long[] fill(AgroalDataSource dataSource, int n) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO shigoto_jobs (state, kind, queue, attempt, inserted_at, scheduled_at,"
                    + " attempted_at, attempted_by, finished_at)"
                    + " SELECT 'completed', 'noop', 'bench', 1, t, t, t, 'filler', t FROM (SELECT now()"
                    + " - interval '2 days' + g * interval '1 millisecond' AS t FROM generate_series(1, " + n + ") g) s");
            // the table as autovacuum would leave it before the pruner's first round
            st.execute("VACUUM ANALYZE shigoto_jobs");
            try (ResultSet rs = st.executeQuery("SELECT min(id), max(id) FROM shigoto_jobs")) {
                rs.next();
                return new long[] { rs.getLong(1), rs.getLong(2) };
            }
        }
    }

    /** Keeps about {@link #BACKLOG} jobs waiting, so the workers are never short of work. */
    private static void feed(Shigoto shigoto, BenchJobs jobs, AtomicLong fed, AtomicBoolean feeding) {
        while (feeding.get()) {
            if (fed.get() - jobs.performed.sum() < BACKLOG) {
                List<JobRequest> chunk = new ArrayList<>(FEED_CHUNK);
                for (int i = 0; i < FEED_CHUNK; i++) {
                    chunk.add(JobRequest.of(NoopWorker.class));
                }
                shigoto.insertAll(chunk);
                fed.addAndGet(FEED_CHUNK);
            } else {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        }
    }

    private static Mark awaitRemaining(AgroalDataSource dataSource, long[] ids, BenchJobs jobs,
            java.util.function.LongPredicate until, String what) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (true) {
            long remaining = remaining(dataSource, ids);
            if (until.test(remaining)) {
                return Mark.now(jobs, remaining);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what + "; " + remaining + " old jobs left");
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }

    /** The pruner deletes the oldest first, and the old jobs finished in id order: the oldest left tells how many. */
    private static long remaining(AgroalDataSource dataSource, long[] ids) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT id FROM shigoto_jobs WHERE state = 'completed'"
                        + " AND finished_at < now() - interval '1 day' ORDER BY finished_at LIMIT 1");
                ResultSet rs = st.executeQuery()) {
            return rs.next() ? ids[1] - rs.getLong(1) + 1 : 0;
        }
    }

    private static long deadRows(AgroalDataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'shigoto_jobs'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }
}
