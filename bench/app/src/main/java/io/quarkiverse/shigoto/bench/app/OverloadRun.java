package io.quarkiverse.shigoto.bench.app;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.bench.common.BenchArgs;
import io.quarkiverse.shigoto.bench.common.BenchResult;
import io.quarkiverse.shigoto.bench.common.ProcessMeter;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeHarness;

/**
 * The overload scenarios: jobs of {@link SlowWorker} arrive at 1.5 times what the queue can run ({@code --workers}
 * slots of {@value #JOB_MILLIS} ms each), one in ten at priority 10 and the rest at 0, for {@code --seconds}.
 * {@code overload} runs queue {@code overload}; {@code overload-shedding} runs queue {@code overload-shed}, the same
 * with load shedding on (application.properties: target 1 s, interval 2 s, deferral 30 s). Reported: the completion rate, and
 * per priority
 * how long the jobs that started within the window had waited (insert to start: p50, p95, p99), with the low
 * priority's backlog (waiting and deferred) when the window closes.
 */
final class OverloadRun {

    /** How long one job takes. */
    static final long JOB_MILLIS = 20;
    static final String QUEUE = "overload";
    /** The same queue with load shedding on (application.properties). */
    static final String SHEDDING_QUEUE = "overload-shed";
    private static final double OVERLOAD = 1.5;
    private static final int HIGH = 10;

    private OverloadRun() {
    }

    static BenchResult run(BenchArgs args, NodeHarness runtime, Shigoto shigoto, AgroalDataSource dataSource)
            throws Exception {
        boolean shedding = args.scenario().equals("overload-shedding");
        String queue = shedding ? SHEDDING_QUEUE : QUEUE;
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM shigoto_jobs WHERE queue LIKE 'overload%'");
            st.execute("UPDATE shigoto_queues SET shedding_since = NULL, shed_below = NULL");
        }
        Engine engine = runtime.startEngine(runtime.settings("bench-node").withQueues(Map.of(queue, args.workers())));
        double capacity = args.workers() * 1000.0 / JOB_MILLIS;
        double rate = capacity * OVERLOAD;
        // one insertAll every 10 ms
        int perTick = Math.max(1, (int) Math.round(rate / 100));
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(args.seconds());
        long inserted = 0;
        long tick = 0;
        java.sql.Timestamp windowStart = now(dataSource);
        while (System.nanoTime() < end) {
            List<JobRequest> batch = new ArrayList<>(perTick);
            for (int i = 0; i < perTick; i++) {
                long seq = inserted + i;
                batch.add(JobRequest.of(SlowWorker.class).queue(queue).priority(seq % 10 == 0 ? HIGH : 0));
            }
            shigoto.insertAll(batch);
            inserted += perTick;
            tick++;
            long next = start + tick * TimeUnit.MILLISECONDS.toNanos(10);
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        java.sql.Timestamp windowEnd = now(dataSource);
        Map<Integer, double[]> waits = waits(dataSource, queue, windowStart, windowEnd);
        Map<String, Long> backlog = backlog(dataSource, queue);
        long completed = completed(dataSource, queue, windowEnd);
        engine.stop();
        StringBuilder note = new StringBuilder(String.format(Locale.ROOT,
                "capacity=%.0f/s,offered=%.0f/s,inserted=%d,shedding=%s", capacity, inserted / seconds, inserted,
                shedding ? "on" : "off"));
        waits.forEach((priority, w) -> note.append(String.format(Locale.ROOT,
                ",prio%d_started=%.0f,prio%d_wait_p50=%.0fms,p95=%.0fms,p99=%.0fms", priority, w[0], priority,
                w[1] * 1000, w[2] * 1000, w[3] * 1000)));
        backlog.forEach((k, v) -> note.append(',').append(k).append('=').append(v));
        return BenchResult.rate(args.scenario(), BenchMain.SYSTEM, completed, seconds).withProcess(meter)
                .withNote(note.toString());
    }

    private static java.sql.Timestamp now(AgroalDataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    /** @return per priority: how many started in the window, and their insert-to-start p50, p95, p99 in seconds */
    private static Map<Integer, double[]> waits(AgroalDataSource dataSource, String queue, java.sql.Timestamp from,
            java.sql.Timestamp to) throws SQLException {
        Map<Integer, double[]> waits = new TreeMap<>(java.util.Comparator.reverseOrder());
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("""
                        SELECT priority, count(*),
                               percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (
                                   ORDER BY extract(epoch FROM attempted_at - inserted_at))
                        FROM shigoto_jobs
                        WHERE queue = ? AND attempted_at BETWEEN ? AND ?
                        GROUP BY priority
                        """)) {
            st.setString(1, queue);
            st.setTimestamp(2, from);
            st.setTimestamp(3, to);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Double[] p = (Double[]) rs.getArray(3).getArray();
                    waits.put(rs.getInt(1), new double[] { rs.getLong(2), p[0], p[1], p[2] });
                }
            }
        }
        return waits;
    }

    /** @return the jobs still waiting when the window closed, by priority and state ({@code prio0_available=...}) */
    private static Map<String, Long> backlog(AgroalDataSource dataSource, String queue) throws SQLException {
        Map<String, Long> backlog = new TreeMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT priority, state::text, count(*) FROM shigoto_jobs"
                        + " WHERE queue = ? AND state IN ('available', 'scheduled') GROUP BY 1, 2")) {
            st.setString(1, queue);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    backlog.put("prio" + rs.getInt(1) + "_" + rs.getString(2), rs.getLong(3));
                }
            }
        }
        return backlog;
    }

    private static long completed(AgroalDataSource dataSource, String queue, java.sql.Timestamp to)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT count(*) FROM shigoto_jobs WHERE queue = ?"
                        + " AND state = 'completed' AND finished_at <= ?")) {
            st.setString(1, queue);
            st.setTimestamp(2, to);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
