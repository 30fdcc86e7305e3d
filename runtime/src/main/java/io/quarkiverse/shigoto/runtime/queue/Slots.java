package io.quarkiverse.shigoto.runtime.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.quarkiverse.shigoto.runtime.store.ClaimedJob;

/**
 * The slots of one queue on this node and its prefetch of claimed jobs, shared without a lock by the producer and the
 * worker threads (at tens of thousands of jobs a second, a lock here is where fifty workers would queue).
 * <p>
 * The prefetch is sized by the measured length of the queue's jobs: none until it is known or when jobs are long (a
 * claimed job must not wait here behind a long one while another node could run it), otherwise about
 * {@link #PREFETCH_WORK_NANOS} of work for all slots, at least one job per slot and at most {@link #MAX_PREFETCH}.
 */
final class Slots {

    /** Jobs shorter than this on average get a prefetch: a claim round trip is then a sizeable part of each. */
    static final long SHORT_JOB_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** A prefetch holds about this much work, so a prefetched job waits at most about this long to start. */
    static final long PREFETCH_WORK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** The largest prefetch. */
    static final int MAX_PREFETCH = 1_000;
    /** Runs measured before the average is trusted. */
    static final int SAMPLES_BEFORE_PREFETCH = 16;

    private volatile int concurrency;
    private final boolean mayPrefetch;
    private final ConcurrentLinkedQueue<ClaimedJob> prefetched = new ConcurrentLinkedQueue<>();
    private final AtomicInteger prefetchedCount = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    // a heuristic: racy updates from several workers only blur the average a little
    private volatile long samples;
    private volatile long averageRunNanos;

    Slots(int concurrency) {
        this(concurrency, true);
    }

    /** @param mayPrefetch {@code false} for a queue whose claimed jobs must start at once (a fair queue) */
    Slots(int concurrency, boolean mayPrefetch) {
        this.concurrency = concurrency;
        this.mayPrefetch = mayPrefetch;
    }

    int concurrency() {
        return concurrency;
    }

    /** Changes the number of slots; running attempts beyond it finish, but their slots are not refilled. */
    void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    int running() {
        return running.get();
    }

    /** @return running plus prefetched jobs */
    int held() {
        return running.get() + prefetchedCount.get();
    }

    /** @return how many jobs this node may hold now: its slots plus the prefetch */
    int capacity() {
        return concurrency + prefetch();
    }

    int prefetch() {
        int concurrency = this.concurrency;
        if (!mayPrefetch || concurrency == 0 || samples < SAMPLES_BEFORE_PREFETCH
                || averageRunNanos >= SHORT_JOB_NANOS) {
            return 0;
        }
        long perSlot = PREFETCH_WORK_NANOS / Math.max(averageRunNanos, 1_000);
        return (int) Math.min(MAX_PREFETCH, Math.max(concurrency, concurrency * perSlot));
    }

    void addPrefetched(List<ClaimedJob> jobs) {
        prefetched.addAll(jobs);
        prefetchedCount.addAndGet(jobs.size());
    }

    /** @return a prefetched job now holding a free slot, or {@code null} when no slot or no job is free */
    ClaimedJob startNext() {
        while (true) {
            int busy = running.get();
            if (busy >= concurrency) {
                return null;
            }
            if (running.compareAndSet(busy, busy + 1)) {
                ClaimedJob job = takePrefetched();
                if (job == null) {
                    running.decrementAndGet();
                }
                return job;
            }
        }
    }

    /**
     * Ends an attempt: records its length (when measured) and hands its slot to the next prefetched job, or frees it.
     *
     * @return the job now holding the slot, or {@code null} when the slot was freed
     */
    ClaimedJob finish(long runNanos, boolean measured, boolean takeNext) {
        if (measured) {
            long n = samples;
            averageRunNanos = n == 0 ? runNanos : averageRunNanos + (runNanos - averageRunNanos) / 16;
            samples = n + 1;
        }
        ClaimedJob next = takeNext && running.get() <= concurrency ? takePrefetched() : null;
        if (next == null) {
            running.decrementAndGet();
        }
        return next;
    }

    /** @return every prefetched job, removed from the prefetch */
    List<ClaimedJob> drainPrefetched() {
        List<ClaimedJob> jobs = new ArrayList<>();
        for (ClaimedJob job; (job = takePrefetched()) != null;) {
            jobs.add(job);
        }
        return jobs;
    }

    private ClaimedJob takePrefetched() {
        ClaimedJob job = prefetched.poll();
        if (job != null) {
            prefetchedCount.decrementAndGet();
        }
        return job;
    }
}
