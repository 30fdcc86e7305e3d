package io.quarkiverse.shigoto.runtime.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.runtime.store.Claim;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.store.KindLimit;

/**
 * Claims jobs of one queue for this node and runs them, at most {@code concurrency} at once.
 * <p>
 * It claims when it has room and there may be jobs: after a notification, a poll tick, a claim that came back full,
 * or a wake-up that arrived while claiming. A claim that came back short means the queue is drained, so finished jobs
 * alone do not cause another query. One wait covers notifications, finished jobs and the poll deadline (which only a
 * claim moves), so there is one timer per queue and busy slots cannot postpone the backstop poll.
 * <p>
 * Claims come in batches: every claim walks the dead index entries that earlier claims left at the head of the fetch
 * index until vacuum removes them, so its cost per job falls with its size. When jobs are short (a few milliseconds)
 * the producer also keeps a local prefetch of about 50 ms of work (at least one job per slot, at most 1,000), which a
 * worker thread picks up itself as soon as it finishes one. Long jobs get no prefetch, so a claimed job never waits
 * here behind a long one while another node could run it. A stopping node hands its prefetched jobs back.
 * <p>
 * A fair queue gets no prefetch: a prefetched job of one partition would wait here while another partition's job
 * could start ({@link ClaimSource} decides which jobs a claim takes). When a rate window is full the claim says when
 * it frees and the producer looks again then; a limited job finishing anywhere wakes the producers of its queue.
 * <p>
 * Jobs inserted on this node while the producer had room are announced to it alone ({@link #wakeForInserted()}): no
 * notification wakes the other nodes for them. The producer answers for those jobs: when it cannot claim them (a
 * claim that came back full may have left them behind, its room is gone, it paused, stopped or failed to claim) it
 * announces the queue to every node through {@link #announceWith}.
 * <p>
 * Over 300 lines: claiming, the prefetch, wake-ups and the phased stop share one lock and one wait, and each reads
 * the others' state under it.
 */
public final class QueueProducer {

    private static final Logger LOG = Logger.getLogger(QueueProducer.class);
    /** The longest a freed slot waits for others to free before the producer claims for it. */
    static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final String queue;
    private final JobStore store;
    private final JobExecutor executor;
    private final Clock clock;
    private final String node;
    private final long pollNanos;
    private final ClaimSource source;
    private final ThreadPoolExecutor workers;
    private final Thread thread;
    private final LongAdder claims = new LongAdder();
    private final LongAdder claimed = new LongAdder();
    private final Slots slots;
    private volatile boolean waitingForRoom;
    private volatile boolean stopping;
    // when the claim loop last went round; it does at least once per poll interval, busy or idle
    private volatile long lastTurnNanos = System.nanoTime();
    private volatile boolean paused;
    // guarded by this
    private boolean mayHaveJobs = true;
    private long wakeups;
    private long nextPollNanos = System.nanoTime();
    private boolean lastClaimShort;
    private long lastClaimNanos;
    private long lastClaimCostNanos;
    // wake-ups for inserted jobs that only this producer heard of, and how many of them claims have answered for
    private long trustedWakeups;
    private long trustedSettled;
    private volatile Consumer<String> announcer = q -> {
    };

    public QueueProducer(String queue, int concurrency, JobStore store, JobExecutor executor, Clock clock, String node,
            Duration pollInterval) {
        this(queue, concurrency, store, executor, clock, node, pollInterval, false, List.of(), null, null);
    }

    /**
     * @param fair whether to claim round-robin across partition keys (and without prefetch)
     * @param limits the limits of every limited kind of the application; empty when there are none
     * @param broadcasts where a broadcast queue counts its fan-outs; {@code null} for a queue that does not broadcast
     * @param nodeTimeout for a broadcast queue, how long a node may be silent and still get deliveries
     */
    public QueueProducer(String queue, int concurrency, JobStore store, JobExecutor executor, Clock clock, String node,
            Duration pollInterval, boolean fair, List<KindLimit> limits, BroadcastCounts broadcasts,
            Duration nodeTimeout) {
        this.queue = queue;
        this.store = store;
        this.executor = executor;
        this.clock = clock;
        this.node = node;
        this.source = new ClaimSource(store, queue, node, clock, fair, limits,
                broadcasts == null ? null : new ClaimSource.Broadcast(nodeTimeout, broadcasts));
        this.slots = new Slots(concurrency, !fair);
        this.pollNanos = Math.max(Duration.ofMillis(10).toNanos(), pollInterval.toNanos());
        this.workers = new ThreadPoolExecutor(Math.max(1, concurrency), Math.max(1, concurrency), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), threads("shigoto-" + queue + "-"));
        this.thread = new Thread(this::run, "shigoto-producer-" + queue);
        this.thread.setDaemon(true);
    }

    public String queue() {
        return queue;
    }

    public int concurrency() {
        return slots.concurrency();
    }

    /** @return whether this producer has stopped claiming because the queue is paused */
    public boolean paused() {
        return paused;
    }

    /** Stops or resumes claiming; running and prefetched jobs go on. */
    public void setPaused(boolean paused) {
        this.paused = paused;
        wake();
    }

    /**
     * Changes how many jobs of the queue run here at once. A smaller number lets running jobs finish and refills
     * only the remaining slots; 0 stops claiming.
     */
    public synchronized void scale(int concurrency) {
        if (concurrency == slots.concurrency()) {
            return;
        }
        int threads = Math.max(1, concurrency);
        if (threads > workers.getMaximumPoolSize()) {
            workers.setMaximumPoolSize(threads);
            workers.setCorePoolSize(threads);
        } else {
            workers.setCorePoolSize(threads);
            workers.setMaximumPoolSize(threads);
        }
        slots.setConcurrency(concurrency);
        wake();
    }

    /** @return whether this queue claims round-robin across partition keys */
    public boolean fair() {
        return source.fair();
    }

    /** @return how many attempts of this queue run on this node now */
    public int running() {
        return slots.running();
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
        lastTurnNanos = System.nanoTime();
        thread.start();
    }

    /**
     * @return whether the claim loop is dead: its thread ended although nobody stopped it
     */
    public boolean dead() {
        return !stopping && thread.getState() == Thread.State.TERMINATED;
    }

    /** @return how long ago the claim loop last went round (at least once per poll interval while it lives) */
    public Duration sinceLastTurn() {
        return Duration.ofNanos(System.nanoTime() - lastTurnNanos);
    }

    /** @return the poll interval, the longest the claim loop waits between two rounds */
    public Duration pollInterval() {
        return Duration.ofNanos(pollNanos);
    }

    /** Sets who announces this queue to every node when jobs only this producer heard of must wait here. */
    public void announceWith(Consumer<String> announcer) {
        this.announcer = announcer;
    }

    /**
     * @return whether this producer would claim this many more jobs now: it runs, is not paused and has room for them
     *         in its slots and prefetch
     */
    public boolean fits(int jobs) {
        return !stopping && !paused && slots.capacity() - slots.held() >= jobs;
    }

    /**
     * Wakes the producer for jobs inserted on this node that no notification announced: it claims them, or announces
     * them to every node when it cannot.
     *
     * @return {@code false} when the producer is stopping and will not answer for them
     */
    public synchronized boolean wakeForInserted() {
        if (stopping) {
            return false;
        }
        trustedWakeups++;
        wake();
        return true;
    }

    /** Tells the producer that jobs may be available (a notification, a staged job). */
    public synchronized void wake() {
        mayHaveJobs = true;
        wakeups++;
        notifyAll();
    }

    /** Stops claiming and starting prefetched jobs; running attempts go on. */
    public void stopClaiming() {
        stopping = true;
        synchronized (this) {
            announceTrusted();
            notifyAll();
        }
    }

    /**
     * Hands prefetched jobs back, then waits for running attempts to finish.
     *
     * @return whether all of them finished in time
     */
    public boolean awaitRunning(long deadlineNanos) throws InterruptedException {
        // a claim in flight still lands in the prefetch; only then is the prefetch complete
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
        handBack();
        workers.shutdown();
        long left = deadlineNanos - System.nanoTime();
        boolean done = workers.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS);
        synchronized (this) {
            while (slots.running() > 0 && (left = deadlineNanos - System.nanoTime()) > 0) {
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            return done && slots.running() == 0;
        }
    }

    /** Interrupts attempts still running after the shutdown timeout. */
    public void abandon() {
        workers.shutdownNow();
    }

    private void run() {
        while (!stopping) {
            try {
                int room = awaitRoom();
                if (room > 0) {
                    claim(room);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** @return how many jobs to claim now, or 0 when stopping */
    private synchronized int awaitRoom() throws InterruptedException {
        long gatherUntil = 0;
        while (!stopping) {
            lastTurnNanos = System.nanoTime();
            // a job prefetched while every worker was finishing would otherwise wait for the next claim
            startPrefetched();
            int held = slots.held();
            int capacity = slots.capacity();
            int room = paused ? 0 : capacity - held;
            if (room > 0 && mayHaveJobs) {
                // after a claim that found less than it asked for, jobs are trickling in: one claim per arriving job
                // would spend the database on claims, so wake-ups within a moment of that claim share the next one.
                // The moment grows with what the claim cost (twice its time), so claims never take more than about
                // a third of a database core however expensive the dead index entries make them
                long sinceShortClaim = lastClaimShort ? System.nanoTime() - lastClaimNanos : Long.MAX_VALUE;
                if (sinceShortClaim < Math.max(GATHER_NANOS, 2 * lastClaimCostNanos)) {
                    waitForRoom(1);
                    continue;
                }
                if (held == 0 || room >= Math.max(1, capacity / 2)) {
                    return room;
                }
                // a little room while the rest is busy: short jobs make more within a moment, and one claim for
                // all of it costs the database far less than one per slot; long jobs lose at most that moment
                long now = System.nanoTime();
                if (gatherUntil == 0) {
                    gatherUntil = now + GATHER_NANOS;
                } else if (now >= gatherUntil) {
                    return room;
                }
                waitForRoom(1);
                continue;
            }
            if (mayHaveJobs && room == 0) {
                // jobs only this producer heard of would wait here for a slot while another node may have one
                announceTrusted();
            }
            long left = nextPollNanos - System.nanoTime();
            if (left <= 0) {
                // poll tick: look even without a notification, the backstop for missed ones
                mayHaveJobs = true;
                nextPollNanos = System.nanoTime() + pollNanos;
                continue;
            }
            // woken early by wake(), a finished job or stop; the loop re-checks, so spurious wake-ups are harmless
            waitForRoom(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        return 0;
    }

    /** Announces to every node the inserted jobs only this producer heard of that no claim has answered for. */
    private void announceTrusted() {
        if (trustedWakeups > trustedSettled) {
            trustedSettled = trustedWakeups;
            announcer.accept(queue);
        }
    }

    private void waitForRoom(long millis) throws InterruptedException {
        waitingForRoom = true;
        try {
            wait(millis);
        } finally {
            waitingForRoom = false;
        }
    }

    private void claim(int room) throws InterruptedException {
        long wakeupsBefore;
        long trustedBefore;
        synchronized (this) {
            wakeupsBefore = wakeups;
            trustedBefore = trustedWakeups;
        }
        Claim claim;
        long started = System.nanoTime();
        try {
            claim = source.claim(room, slots.concurrency() - slots.held());
        } catch (Exception e) {
            LOG.warnf(e, "shigoto could not claim jobs of queue %s; retrying in %d ms", queue,
                    TimeUnit.NANOSECONDS.toMillis(pollNanos));
            synchronized (this) {
                announceTrusted();
                mayHaveJobs = false;
                nextPollNanos = System.nanoTime() + pollNanos;
            }
            return;
        }
        List<ClaimedJob> jobs = claim.jobs();
        claims.increment();
        claimed.add(jobs.size());
        synchronized (this) {
            // a wake-up that arrived during the claim may announce jobs the claim could not see yet
            mayHaveJobs = jobs.size() == room || wakeups != wakeupsBefore;
            lastClaimShort = jobs.size() < room;
            if (lastClaimShort) {
                // it took every job it could see, which includes those announced before it started
                trustedSettled = Math.max(trustedSettled, trustedBefore);
            } else {
                announceTrusted();
            }
            lastClaimNanos = System.nanoTime();
            lastClaimCostNanos = lastClaimNanos - started;
            nextPollNanos = lastClaimNanos + pollNanos;
            if (claim.retryAt() != null) {
                // a full rate window: look again when it frees rather than at the next poll
                long waitMillis = Math.max(1, Duration.between(clock.instant(), claim.retryAt()).toMillis());
                nextPollNanos = Math.min(nextPollNanos, lastClaimNanos + TimeUnit.MILLISECONDS.toNanos(waitMillis));
            }
        }
        slots.addPrefetched(jobs);
        startPrefetched();
    }

    /** Starts prefetched jobs in free slots. */
    private void startPrefetched() {
        for (ClaimedJob job; !stopping && (job = slots.startNext()) != null;) {
            launch(job);
        }
    }

    private void launch(ClaimedJob job) {
        try {
            if (executor.isReactive(job)) {
                executor.runReactive(job, () -> launchNext(finished(0, false)));
            } else {
                workers.execute(() -> runFrom(job));
            }
        } catch (RuntimeException e) {
            // a claimed job never stays executing here without an attempt (the pool refused it, say while stopping):
            // it fails through the guarded outcome path, and its slot takes the next one
            executor.notStarted(job, e, false);
            launchNext(finished(0, false));
        }
    }

    /** Runs a blocking job, then keeps this thread on prefetched blocking jobs while there are any. */
    private void runFrom(ClaimedJob first) {
        ClaimedJob job = first;
        while (job != null) {
            long start = System.nanoTime();
            try {
                executor.runBlocking(job);
            } finally {
                job = finished(System.nanoTime() - start, true);
            }
            if (job != null && executor.isReactive(job)) {
                launch(job);
                job = null;
            }
        }
    }

    private void launchNext(ClaimedJob next) {
        if (next != null) {
            launch(next);
        }
    }

    /**
     * Frees the slot of a finished attempt and, unless stopping, takes the next prefetched job into it.
     *
     * @return the job this slot runs next, or {@code null}
     */
    private ClaimedJob finished(long runNanos, boolean timed) {
        ClaimedJob next = slots.finish(runNanos, timed, !stopping);
        if (next == null && (waitingForRoom || stopping)) {
            synchronized (this) {
                notifyAll();
            }
        }
        return next;
    }

    private void handBack() {
        List<ClaimedJob> unstarted = slots.drainPrefetched();
        if (!unstarted.isEmpty()) {
            try {
                store.unclaim(unstarted);
            } catch (Exception e) {
                LOG.warnf(e, "could not hand back %d prefetched jobs of queue %s; they will be rescued",
                        unstarted.size(), queue);
            }
        }
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
