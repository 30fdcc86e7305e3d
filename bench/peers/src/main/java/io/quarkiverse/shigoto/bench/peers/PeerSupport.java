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

    /** Warm-up of the continuous scenario before its measured window opens. */
    static final long WARM_UP_MILLIS = 2_000;

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
     * The latency scenario: one unmeasured warm-up probe, then {@code samples} probes one after the other, each timed
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
        inserter.insert(-1);
        awaitStarted(-1, 60);
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

    /** The continuous scenario's producer: inserts single jobs until told to stop. */
    static final class Producer extends Thread {
        private final ProbeInserter inserter;
        private volatile boolean running = true;
        private volatile long inserted;
        private volatile Throwable failure;

        Producer(ProbeInserter inserter) {
            super("bench-producer");
            this.inserter = inserter;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                int i = 0;
                while (running) {
                    inserter.insert(i++);
                    inserted = i;
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        /** @return how many jobs were inserted so far */
        long inserted() {
            return inserted;
        }

        void finish() throws InterruptedException {
            running = false;
            join(30_000);
            if (failure != null) {
                throw new IllegalStateException("the producer failed", failure);
            }
        }
    }

    /** Reads a counter of finished jobs from the database. */
    @FunctionalInterface
    interface FinishedCounter {
        long finished() throws Exception;
    }

    /**
     * The continuous scenario's measurement: after the warm-up, counts the finished jobs at the start and at the end of
     * the window that lasts until {@code --seconds} after the producer started.
     *
     * @return {completed in the window, the window in seconds, the producer's insert rate in the window}
     */
    static double[] measureContinuous(BenchArgs args, Producer producer, FinishedCounter counter) throws Exception {
        int seconds = args.seconds();
        if (seconds * 1000L <= WARM_UP_MILLIS) {
            throw new IllegalArgumentException("--seconds must exceed the " + WARM_UP_MILLIS + " ms warm-up");
        }
        long t0 = System.nanoTime();
        producer.start();
        sleepUntil(t0 + TimeUnit.MILLISECONDS.toNanos(WARM_UP_MILLIS));
        long startInserted = producer.inserted();
        long startCount = counter.finished();
        long windowStart = System.nanoTime();
        sleepUntil(t0 + TimeUnit.SECONDS.toNanos(seconds));
        long endInserted = producer.inserted();
        long endCount = counter.finished();
        long windowEnd = System.nanoTime();
        producer.finish();
        double window = (windowEnd - windowStart) / 1e9;
        return new double[] { endCount - startCount, window, (endInserted - startInserted) / window };
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** Ends the process: the libraries' thread pools are not daemon threads. */
    /** A scenario run of one system. */
    @FunctionalInterface
    interface Scenario {
        void run(BenchArgs args) throws Exception;
    }

    /**
     * The main method of every peer: parses the arguments, refuses unsupported scenarios, runs the scenario and exits
     * (1 on failure, with its stack trace), whatever non-daemon threads the system left behind.
     */
    static void main(String[] argv, String system, Set<String> supported, Scenario scenario) {
        int status = 0;
        try {
            BenchArgs args = BenchArgs.parse(argv);
            if (supported.contains(args.scenario())) {
                scenario.run(args);
            } else {
                unsupported(system, args.scenario());
            }
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
