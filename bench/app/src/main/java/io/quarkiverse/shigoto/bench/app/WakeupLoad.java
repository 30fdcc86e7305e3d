package io.quarkiverse.shigoto.bench.app;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.bench.common.BenchArgs;
import io.quarkiverse.shigoto.bench.common.BenchResult;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeHarness;

/**
 * Insert wake-ups at a steady rate: single inserts paced at 100, 1,000 and 10,000 a second (10,000 from 8 threads)
 * for the scenario's seconds each, while two nodes work the queue: this process's own engine and a second engine
 * in the same JVM that hears only notifications, as another node would. A LISTEN connection counts the
 * notifications on the insert channel. Each row gives the reached insert rate, insert-to-start p50/p99 of every job,
 * and the notifications per 1,000 inserts. The last row inserts at 1,000 a second from a node that runs no engine
 * (an insert-only node), so every job is the other node's.
 */
final class WakeupLoad {

    private static final String QUEUE = "bench";
    private static final long TIMEOUT_NANOS = TimeUnit.MINUTES.toNanos(2);

    private final NodeHarness runtime;
    private final Shigoto shigoto;
    private final AgroalDataSource dataSource;
    private final BenchJobs jobs;
    private final AtomicLong nextProbe = new AtomicLong();

    private WakeupLoad(NodeHarness runtime, Shigoto shigoto, AgroalDataSource dataSource, BenchJobs jobs) {
        this.runtime = runtime;
        this.shigoto = shigoto;
        this.dataSource = dataSource;
        this.jobs = jobs;
    }

    static List<BenchResult> run(BenchArgs args, NodeHarness runtime, Shigoto shigoto, AgroalDataSource dataSource,
            BenchJobs jobs) throws Exception {
        WakeupLoad load = new WakeupLoad(runtime, shigoto, dataSource, jobs);
        Engine peer = runtime.newEngine(runtime.settings("bench-peer").withQueues(Map.of(QUEUE, args.workers())));
        peer.start();
        List<BenchResult> rows = new ArrayList<>();
        try (Counter counter = new Counter(dataSource, runtime.store().schema().insertChannel())) {
            Engine local = runtime.startEngine(runtime.settings("bench-node").withQueues(Map.of(QUEUE, args.workers())));
            load.rate(counter, 100, 1, 2, "warm-up");
            rows.add(load.rate(counter, 100, 1, args.seconds(), "wake-ups-100"));
            rows.add(load.rate(counter, 1_000, 2, args.seconds(), "wake-ups-1000"));
            rows.add(load.rate(counter, 10_000, 8, args.seconds(), "wake-ups-10000"));
            local.stop();
            rows.add(load.rate(counter, 1_000, 2, args.seconds(), "wake-ups-insert-only-1000"));
        } finally {
            peer.stop();
        }
        return rows;
    }

    /** Inserts at a rate for some seconds, waits for every job to start, and reports. */
    private BenchResult rate(Counter counter, int perSecond, int threads, int seconds, String scenario)
            throws Exception {
        int n = perSecond * seconds;
        long first = nextProbe.getAndAdd(n);
        long[] insertedNanos = new long[n];
        long before = counter.count();
        long start = System.nanoTime();
        long periodNanos = TimeUnit.SECONDS.toNanos(1) * threads / perSecond;
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread p = new Thread(() -> {
                long next = start + offset * periodNanos / threads;
                for (int i = offset; i < n; i += threads) {
                    LockSupport.parkNanos(next - System.nanoTime());
                    insertedNanos[i] = System.nanoTime();
                    shigoto.insert(JobRequest.of(NoopWorker.class).arg("probe", first + i));
                    next += periodNanos;
                }
            }, "bench-wake-producer-" + t);
            p.start();
            producers.add(p);
        }
        for (Thread p : producers) {
            p.join();
        }
        double insertSeconds = (System.nanoTime() - start) / 1e9;
        double[] millis = new double[n];
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        for (int i = 0; i < n; i++) {
            Long started;
            while ((started = jobs.startedNanos.get(first + i)) == null) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(scenario + ": job " + i + " did not start in time");
                }
                TimeUnit.MILLISECONDS.sleep(1);
            }
            millis[i] = (started - insertedNanos[i]) / 1e6;
        }
        long notifications = counter.settle() - before;
        Arrays.sort(millis);
        return new BenchResult(scenario, BenchMain.SYSTEM, n, n / insertSeconds, null, null, null, null, null)
                .withLatency(BenchResult.percentile(millis, 50), BenchResult.percentile(millis, 99))
                .withNote(String.format(Locale.ROOT,
                        "notifications=%d,per_1000_inserts=%.1f,threads=%d,target_rate=%d,p50/p99=insert-to-start",
                        notifications, notifications * 1000.0 / n, threads, perSecond));
    }

    /** Counts the notifications on the insert channel from one LISTEN connection of its own. */
    private static final class Counter implements AutoCloseable {

        private static final String MARK = "bench-mark-";

        private final AgroalDataSource dataSource;
        private final Connection connection;
        private final String channel;
        private final AtomicLong count = new AtomicLong();
        private final AtomicLong marksSeen = new AtomicLong();
        private final AtomicBoolean stopping = new AtomicBoolean();
        private final Thread thread;
        private long marksSent;

        Counter(AgroalDataSource dataSource, String channel) throws SQLException {
            this.dataSource = dataSource;
            this.connection = dataSource.getConnection();
            this.channel = channel;
            try (Statement st = connection.createStatement()) {
                st.execute("LISTEN " + channel);
            }
            this.thread = new Thread(this::listen, "bench-notification-counter");
            this.thread.start();
        }

        long count() {
            return count.get();
        }

        /**
         * @return the count once every notification sent before now has arrived: notifications arrive in commit
         *         order, so a mark sent now arrives after them
         */
        long settle() throws Exception {
            long mark = ++marksSent;
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                st.execute("SELECT pg_notify('" + channel + "', '" + MARK + mark + "')");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (marksSeen.get() < mark && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(1);
            }
            return count.get();
        }

        private void listen() {
            try {
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!stopping.get()) {
                    PGNotification[] received = pg.getNotifications(100);
                    if (received != null) {
                        for (PGNotification n : received) {
                            if (n.getParameter().startsWith(MARK)) {
                                marksSeen.incrementAndGet();
                            } else {
                                count.incrementAndGet();
                            }
                        }
                    }
                }
            } catch (SQLException e) {
                if (!stopping.get()) {
                    throw new IllegalStateException("the notification counter lost its connection", e);
                }
            }
        }

        @Override
        public void close() throws Exception {
            stopping.set(true);
            thread.join(1_000);
            connection.close();
        }
    }
}
