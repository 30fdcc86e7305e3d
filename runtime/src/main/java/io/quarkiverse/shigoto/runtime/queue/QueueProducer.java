package io.quarkiverse.shigoto.runtime.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.JobStore;

/**
 * Claims jobs of one queue for this node and hands them to the executor, never more than the queue's free slots.
 * <p>
 * It claims when there are free slots and there may be jobs: after a notification, a poll tick, or a claim that came
 * back full, or a wake-up that arrived while claiming. A claim that came back short means the queue is drained, so
 * freed slots alone do not cause another query. One wait covers notifications, freed slots and the poll deadline (which
 * only a claim moves), so there is exactly one timer per queue and busy slots cannot postpone the backstop poll.
 */
public final class QueueProducer {

    private static final Logger LOG = Logger.getLogger(QueueProducer.class);

    private final String queue;
    private final int concurrency;
    private final JobStore store;
    private final JobExecutor executor;
    private final Clock clock;
    private final String node;
    private final long pollNanos;
    private final ExecutorService workers;
    private final AtomicInteger running = new AtomicInteger();
    private final LongAdder claims = new LongAdder();
    private final LongAdder claimed = new LongAdder();
    private final Thread thread;
    private boolean mayHaveJobs = true;
    private long wakeups;
    private long nextPollNanos = System.nanoTime();
    private volatile boolean stopping;

    public QueueProducer(String queue, int concurrency, JobStore store, JobExecutor executor, Clock clock, String node,
            Duration pollInterval) {
        this.queue = queue;
        this.concurrency = concurrency;
        this.store = store;
        this.executor = executor;
        this.clock = clock;
        this.node = node;
        this.pollNanos = Math.max(Duration.ofMillis(10).toNanos(), pollInterval.toNanos());
        this.workers = new ThreadPoolExecutor(concurrency, concurrency, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads("shigoto-" + queue + "-"));
        this.thread = new Thread(this::run, "shigoto-producer-" + queue);
        this.thread.setDaemon(true);
    }

    public String queue() {
        return queue;
    }

    public int concurrency() {
        return concurrency;
    }

    /** @return how many attempts of this queue run on this node now */
    public int running() {
        return running.get();
    }

    /** @return how many claim statements this producer ran */
    public long claims() {
        return claims.sum();
    }

    /** @return how many jobs this producer claimed */
    public long claimed() {
        return claimed.sum();
    }

    public void start() {
        thread.start();
    }

    /** Tells the producer that jobs may be available (a notification, a staged job). */
    public synchronized void wake() {
        mayHaveJobs = true;
        wakeups++;
        notifyAll();
    }

    private synchronized void slotFreed() {
        notifyAll();
    }

    /** Stops claiming; running attempts go on until {@link #awaitRunning(long)} gives up on them. */
    public void stopClaiming() {
        stopping = true;
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * Waits for running attempts to finish.
     *
     * @return whether all of them finished in time
     */
    public boolean awaitRunning(long deadlineNanos) throws InterruptedException {
        // a claim in flight still dispatches its jobs; only then may the pool refuse new work
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
        workers.shutdown();
        long left = deadlineNanos - System.nanoTime();
        boolean done = workers.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS);
        synchronized (this) {
            while (running.get() > 0 && (left = deadlineNanos - System.nanoTime()) > 0) {
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return done && running.get() == 0;
    }

    /** Interrupts attempts still running after the shutdown timeout. */
    public void abandon() {
        workers.shutdownNow();
    }

    private void run() {
        while (!stopping) {
            try {
                int free = awaitWork();
                if (free > 0) {
                    claim(free);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** @return the number of free slots to claim for, or 0 when stopping */
    private synchronized int awaitWork() throws InterruptedException {
        while (!stopping) {
            int free = concurrency - running.get();
            if (free > 0 && mayHaveJobs) {
                return free;
            }
            long left = nextPollNanos - System.nanoTime();
            if (left <= 0) {
                // poll tick: look even without a notification, the backstop for missed ones
                mayHaveJobs = true;
                nextPollNanos = System.nanoTime() + pollNanos;
                continue;
            }
            // woken early by wake(), a freed slot or stop; the loop re-checks, so spurious wake-ups are harmless
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        return 0;
    }

    private void claim(int free) throws InterruptedException {
        long wakeupsBefore;
        synchronized (this) {
            wakeupsBefore = wakeups;
        }
        List<ClaimedJob> jobs;
        try {
            jobs = store.claim(queue, free, node, clock.instant());
        } catch (Exception e) {
            LOG.warnf(e, "shigoto could not claim jobs of queue %s; retrying in %d ms", queue,
                    TimeUnit.NANOSECONDS.toMillis(pollNanos));
            synchronized (this) {
                mayHaveJobs = false;
                nextPollNanos = System.nanoTime() + pollNanos;
            }
            return;
        }
        claims.increment();
        claimed.add(jobs.size());
        synchronized (this) {
            // a wake-up that arrived during the claim may announce jobs the claim could not see yet
            mayHaveJobs = jobs.size() == free || wakeups != wakeupsBefore;
            nextPollNanos = System.nanoTime() + pollNanos;
        }
        for (ClaimedJob job : jobs) {
            running.incrementAndGet();
            if (executor.isReactive(job)) {
                executor.runReactive(job, this::release);
            } else {
                workers.execute(() -> {
                    try {
                        executor.runBlocking(job);
                    } finally {
                        release();
                    }
                });
            }
        }
    }

    private void release() {
        running.decrementAndGet();
        slotFreed();
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
