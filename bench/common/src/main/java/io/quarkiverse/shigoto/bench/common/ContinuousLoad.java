package io.quarkiverse.shigoto.bench.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The load of the continuous scenarios, the same for every system: {@code producers} threads insert single jobs while
 * the workers run. After a ramp of {@link #RAMP_MILLIS} the harness reads the finished jobs as the database shows them
 * at the start and at the end of a window of {@code --seconds}, so every system is counted the same way over the same
 * window. Every {@link #SAMPLE_EVERY}-th insert notes {@link System#nanoTime()} just before its insert call, for
 * systems whose job body can report its start (insert-to-start under load).
 */
public final class ContinuousLoad {

    /** Producers and workers run this long before the window opens. */
    public static final long RAMP_MILLIS = 2_000;

    /** Every so many inserts one is timed from just before its insert call to its start. */
    public static final int SAMPLE_EVERY = 10;

    /**
     * The user table of {@code continuous-jta}: each insert of a job goes with one row here, in the same transaction
     * where the system allows it.
     */
    public static final String USER_TABLE = """
            CREATE TABLE IF NOT EXISTS bench_users (
                id         bigserial PRIMARY KEY,
                name       text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            )""";

    /** The user row of {@code continuous-jta}. */
    public static final String USER_INSERT = "INSERT INTO bench_users (name) VALUES (?)";

    /** Inserts one job with the given sequence number (unique across the producer threads). */
    @FunctionalInterface
    public interface Inserter {
        void insert(long seq) throws Exception;
    }

    /** Reads how many jobs the database shows finished. */
    @FunctionalInterface
    public interface FinishedCounter {
        long finished() throws Exception;
    }

    /**
     * One measured window.
     *
     * @param finished jobs the database showed finished during the window
     * @param seconds the window's length
     * @param insertRate inserts per second the producers reached during the window
     * @param firstSeq the first sequence number inserted in the window
     * @param endSeq the sequence number after the last one inserted in the window
     */
    public record Window(long finished, double seconds, double insertRate, long firstSeq, long endSeq) {

        public double jobsPerSec() {
            return finished / seconds;
        }

        /** @return the note's common part: producers and their insert rate */
        public String note(int producers) {
            return String.format(Locale.ROOT, "producers=%d,insert_rate=%.0f/s", producers, insertRate);
        }
    }

    private final int producers;
    private final Inserter inserter;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong inserted = new AtomicLong();
    private final Map<Long, Long> insertNanos = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    public ContinuousLoad(int producers, Inserter inserter) {
        this.producers = producers;
        this.inserter = inserter;
    }

    /** @return how many inserts have returned so far */
    public long inserted() {
        return inserted.get();
    }

    /** @return when the sampled insert {@code seq} was called, in {@link System#nanoTime()}, or null */
    public Long insertNanos(long seq) {
        return insertNanos.get(seq);
    }

    /**
     * Starts the producers, waits for the ramp, measures the window and stops the producers.
     */
    public Window run(int seconds, FinishedCounter counter) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            Thread t = new Thread(this::produce, "bench-producer-" + p);
            t.setDaemon(true);
            threads.add(t);
        }
        long t0 = System.nanoTime();
        threads.forEach(Thread::start);
        sleepUntil(t0 + TimeUnit.MILLISECONDS.toNanos(RAMP_MILLIS));
        long startInserted = inserted.get();
        long firstSeq = sequence.get();
        long startCount = counter.finished();
        long windowStart = System.nanoTime();
        sleepUntil(windowStart + TimeUnit.SECONDS.toNanos(seconds));
        long endInserted = inserted.get();
        long endSeq = sequence.get();
        long endCount = counter.finished();
        double window = (System.nanoTime() - windowStart) / 1e9;
        running = false;
        for (Thread t : threads) {
            t.join(30_000);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a producer failed", failure.get());
        }
        return new Window(endCount - startCount, window, (endInserted - startInserted) / window, firstSeq, endSeq);
    }

    /**
     * @param startedNanos when sampled jobs started, by sequence number, filled by the job body
     * @return the sorted insert-to-start latencies (ms) of the window's sampled jobs that started
     */
    public double[] insertToStartMillis(Window w, Map<Long, Long> startedNanos) {
        List<Double> ms = new ArrayList<>();
        for (long seq = w.firstSeq() + Math.floorMod(-w.firstSeq(), SAMPLE_EVERY); seq < w.endSeq(); seq += SAMPLE_EVERY) {
            Long before = insertNanos.get(seq);
            Long started = startedNanos.get(seq);
            if (before != null && started != null) {
                ms.add((started - before) / 1e6);
            }
        }
        return ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private void produce() {
        try {
            while (running) {
                long seq = sequence.getAndIncrement();
                if (seq % SAMPLE_EVERY == 0) {
                    insertNanos.put(seq, System.nanoTime());
                }
                inserter.insert(seq);
                inserted.incrementAndGet();
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
