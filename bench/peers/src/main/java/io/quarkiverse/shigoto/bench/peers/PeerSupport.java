package io.quarkiverse.shigoto.bench.peers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.quarkiverse.shigoto.bench.common.BenchArgs;
import io.quarkiverse.shigoto.bench.common.BenchResult;

/**
 * What the peer processes share: the connection pool handed to the library, the harness's own plain JDBC connection
 * that watches the database, bounded waits, and the start instants that latency probes record.
 */
final class PeerSupport {

    /** How often the harness asks the database whether a burn-down has finished. */
    static final long POLL_MILLIS = 50;

    /** When the job with a given sequence number started, in {@link System#nanoTime()}; filled by the job bodies. */
    private static final ConcurrentHashMap<Integer, Long> STARTED = new ConcurrentHashMap<>();
    private static final Object STARTED_SIGNAL = new Object();

    private PeerSupport() {
    }

    /**
     * A Hikari pool for the library under test: {@code --pool} connections, by default the worker count plus a few for
     * the library's own poller, heartbeat and the producer, so the pool is never what limits the workers.
     */
    static HikariDataSource pool(BenchArgs args, String name) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(args.jdbcUrl());
        config.setUsername(args.user());
        config.setPassword(args.password());
        int size = Integer.parseInt(args.get("pool", String.valueOf(args.workers() + 4)));
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setAutoCommit(true);
        return new HikariDataSource(config);
    }

    /** A plain connection of the harness, outside the library's pool. */
    static Connection connect(BenchArgs args) throws SQLException {
        Connection c = DriverManager.getConnection(args.jdbcUrl(), args.user(), args.password());
        c.setAutoCommit(true);
        return c;
    }

    static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void execute(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Inserts the user row of {@code continuous-jta} on a connection. */
    static void insertUser(Connection c, long seq) throws SQLException {
        try (java.sql.PreparedStatement st = c
                .prepareStatement(io.quarkiverse.shigoto.bench.common.ContinuousLoad.USER_INSERT)) {
            st.setString(1, "user-" + seq);
            st.executeUpdate();
        }
    }

    /** A predicate that may throw, for waits on the database. */
    @FunctionalInterface
    interface Check {
        boolean done() throws Exception;
    }

    /**
     * Polls {@code check} every {@link #POLL_MILLIS} until it holds.
     *
     * @return the {@link System#nanoTime()} at which it was seen to hold
     * @throws IllegalStateException when it still does not hold after {@code timeoutSeconds}
     */
    static long awaitDb(Check check, long timeoutSeconds, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            if (check.done()) {
                return System.nanoTime();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeoutSeconds + " s waiting for " + what);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** @return the timeout of a burn-down's wait, {@code --timeout-seconds} (default 900) */
    static long timeoutSeconds(BenchArgs args) {
        return Long.parseLong(args.get("timeout-seconds", "900"));
    }

    /** Called from a job body: records that probe {@code seq} has started. */
    static void markStarted(int seq) {
        STARTED.put(seq, System.nanoTime());
        synchronized (STARTED_SIGNAL) {
            STARTED_SIGNAL.notifyAll();
        }
    }

    /**
     * Waits (on a monitor, not by polling) until probe {@code seq} has started.
     *
     * @return its start instant in {@link System#nanoTime()}
     */
    static long awaitStarted(int seq, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        synchronized (STARTED_SIGNAL) {
            while (true) {
                Long started = STARTED.remove(seq);
                if (started != null) {
                    return started;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("probe job " + seq + " did not start within " + timeoutSeconds + " s");
                }
                TimeUnit.NANOSECONDS.timedWait(STARTED_SIGNAL, left);
            }
        }
    }

    /** Inserts one probe job; the job body must call {@link #markStarted(int)} with the same number. */
    @FunctionalInterface
    interface ProbeInserter {
        void insert(int seq) throws Exception;
    }

    /** @return the pause between latency probes, {@code --latency-gap-ms} (default 50) */
    static long latencyGapMillis(BenchArgs args) {
        return Long.parseLong(args.get("latency-gap-ms", "50"));
    }

    /**
     * The latency scenario: {@link BenchArgs#WARM_UP_PROBES} unmeasured warm-up probes (as many as shigoto's), then
     * {@code samples} probes one after the other, each timed
     * from just before its insert call to its start in the job body.
     * <p>
     * After each probe has started the harness pauses before inserting the next, so the next one meets an idle system:
     * {@code gapMillis}, plus a uniformly random {@code 0..jitterMillis}. Without the gap the next probe would be
     * inserted while the previous probe's worker is finishing, and a library that fetches more work whenever a worker
     * turns idle (JobRunr does) would pick it up at once, measuring that race instead of its idle pickup. The jitter is
     * for polling systems: with a fixed gap every probe would arrive at the same phase of the poll cycle (just after a
     * poll, so each would wait a full interval); a jitter of one poll interval makes the arrivals random, as real ones
     * are.
     *
     * @return the sorted insert-to-start latencies in milliseconds
     */
    static double[] measureLatency(int samples, long gapMillis, long jitterMillis, ProbeInserter inserter)
            throws Exception {
        for (int i = 1; i <= BenchArgs.WARM_UP_PROBES; i++) {
            inserter.insert(-i);
            awaitStarted(-i, 60);
        }
        double[] ms = new double[samples];
        for (int i = 0; i < samples; i++) {
            Thread.sleep(gapMillis + (jitterMillis > 0 ? ThreadLocalRandom.current().nextLong(jitterMillis) : 0));
            long before = System.nanoTime();
            inserter.insert(i);
            long started = awaitStarted(i, 60);
            ms[i] = (started - before) / 1_000_000.0;
        }
        Arrays.sort(ms);
        return ms;
    }

    /** Fills in p50/p99 of sorted latencies. */
    static BenchResult latencyResult(String system, double[] sortedMs) {
        return new BenchResult("latency", system, sortedMs.length, null, null, null, null, null, null)
                .withLatency(BenchResult.percentile(sortedMs, 50), BenchResult.percentile(sortedMs, 99));
    }

    /** One system set up in this process (pool, tables, library), able to run scenarios one after the other. */
    interface PeerSystem {

        /** Runs one scenario and returns its result; the workers are stopped when it returns. */
        BenchResult run(BenchArgs args) throws Exception;

        /** Brings the database back to empty after a warm-up run: the system's tables are truncated. */
        void reset() throws Exception;
    }

    /** Sets a system up for the run's arguments. */
    @FunctionalInterface
    interface Setup {
        PeerSystem open(BenchArgs args) throws Exception;
    }

    /**
     * The main method of every peer: parses the arguments, refuses unsupported scenarios, sets the system up, runs the
     * scenario's warm-up (see {@link BenchArgs#warmUp()}) and resets the tables, runs the measured scenario, prints
     * its result and exits (1 on failure, with its stack trace), whatever non-daemon threads the system left behind.
     */
    static void main(String[] argv, String system, Set<String> supported, Setup setup) {
        int status = 0;
        try {
            BenchArgs args = BenchArgs.parse(argv);
            if (!supported.contains(args.scenario())) {
                unsupported(system, args.scenario());
            }
            PeerSystem peer = setup.open(args);
            if (args.warmed()) {
                peer.run(args.warmUp());
                peer.reset();
            }
            peer.run(args).print();
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        exit(status);
    }

    static void exit(int code) {
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** Reports an unsupported scenario and exits with status 2. */
    static void unsupported(String system, String scenario) {
        System.err.println(system + " does not support scenario " + scenario);
        exit(2);
    }
}
