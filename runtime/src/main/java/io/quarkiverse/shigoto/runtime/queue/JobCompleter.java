package io.quarkiverse.shigoto.runtime.queue;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobWorker;
import io.quarkiverse.shigoto.runtime.crypto.KeyRing;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.Completion;
import io.quarkiverse.shigoto.runtime.store.FinishedJob;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;

/**
 * Writes finished attempts in batches: one statement for everything that finished while the previous batch was being
 * written, so the write rate follows the finish rate without a timer. When the database falls behind, worker threads
 * wait here instead of piling up memory. If the node dies, the jobs whose outcome was not written yet stay executing
 * and run again once rescued (at-least-once).
 * <p>
 * Over 300 lines: the batch loop, the back-pressure on worker threads and the closing of the intake at shutdown
 * share its queue and its lock.
 */
public final class JobCompleter implements AttemptSink {

    private static final Logger LOG = Logger.getLogger(JobCompleter.class);
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(5);

    /**
     * A finished attempt waiting to be written, with the worker to call back if it ends discarded, whether it holds
     * one of the queue's permits, the queue of a limited job ({@code null} for others), and how long the attempt ran
     * ({@code -1} when it failed before reaching its worker).
     */
    record Pending(ClaimedJob job, Completion completion, JobWorker worker, boolean permit, String limitedQueue,
            long runNanos) {
    }

    private final JobStore store;
    private final int batchSize;
    private final Executor callbacks;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Semaphore permits;
    private final Consumer<Instant> rescheduled;
    private final Consumer<long[]> finishedForGood;
    private volatile OutcomeListener listener = OutcomeListener.NONE;
    private volatile String node = "";
    private final Consumer<Set<String>> limitedFinished;
    private final Thread thread;
    private final LongAdder writes = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final OutcomeCounts counts = new OutcomeCounts();
    private volatile boolean stopping;
    private volatile boolean intakeClosed;

    /**
     * @param rescheduled told the earliest due time of jobs just written back as retryable or snoozed, so the stager
     *        can wake up for them
     * @param finishedForGood told the ids of jobs just written completed, discarded or cancelled that other jobs
     *        depend on, whose dependents may now be decided; runs on the completer's thread
     * @param limitedFinished told the queues of limited jobs whose outcome was just written: their kinds have room
     *        again, and their producers may be waiting for it
     */
    public JobCompleter(JobStore store, int batchSize, Executor callbacks, Consumer<Instant> rescheduled,
            Consumer<long[]> finishedForGood, Consumer<Set<String>> limitedFinished) {
        this.store = store;
        this.batchSize = batchSize;
        this.callbacks = callbacks;
        this.rescheduled = rescheduled;
        this.finishedForGood = finishedForGood;
        this.limitedFinished = limitedFinished;
        this.permits = new Semaphore(Math.max(batchSize * 4, 1024));
        this.thread = new Thread(this::run, "shigoto-completer");
        this.thread.setDaemon(true);
    }

    /** Sets who hears about stored outcomes, and the node they ran on. */
    public void listener(OutcomeListener listener, String node) {
        this.listener = listener;
        this.node = node;
    }

    /** @return this node's outcome counts per minute and queue, not yet stored */
    public OutcomeCounts counts() {
        return counts;
    }

    /** @return how many statements wrote outcomes */
    public long writes() {
        return writes.sum();
    }

    /** @return how many outcomes were written */
    public long written() {
        return written.sum();
    }

    public void start() {
        thread.start();
    }

    /** @return whether the writing thread is dead: it ended although nobody stopped it */
    public boolean dead() {
        return !stopping && thread.getState() == Thread.State.TERMINATED;
    }

    /**
     * Queues a finished attempt. A worker thread waits while too many outcomes are unwritten (back-pressure); the event
     * loop and the timeout timer never wait, they go over the limit instead (their number is bounded by the queues'
     * concurrency anyway).
     */
    @Override
    public void complete(ClaimedJob job, Completion completion, JobWorker worker, boolean mayBlock,
            String limitedQueue, long runNanos) {
        if (intakeClosed) {
            LOG.debugf("job %d was abandoned at shutdown; it stays executing until rescued", completion.id());
            return;
        }
        boolean permit = permits.tryAcquire();
        if (!permit && mayBlock) {
            try {
                permits.acquire();
                permit = true;
            } catch (InterruptedException e) {
                // the attempt is over; keep its outcome even if this thread is being interrupted
                Thread.currentThread().interrupt();
            }
        }
        queue.add(new Pending(job, completion, worker, permit, limitedQueue, runNanos));
    }

    /**
     * Stops accepting outcomes: attempts interrupted because the shutdown timeout ran out must not record the
     * interrupt as their failure; they stay {@code executing} and are rescued like the jobs of a crashed node.
     */
    public void closeIntake() {
        intakeClosed = true;
    }

    /** Writes what is queued, then stops; gives up on the rest after {@code timeout} (those jobs get rescued). */
    public void stop(Duration timeout) {
        stopping = true;
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
            LOG.warnf("shigoto completer stopped with %d unwritten completions; those jobs will be rescued",
                    queue.size());
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (true) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (stopping) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                write(batch);
                batch.clear();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void write(List<Pending> batch) throws InterruptedException {
        List<Completion> completions = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            completions.add(p.completion());
        }
        long delay = 50;
        while (true) {
            try {
                List<FinishedJob> accepted = store.finish(completions);
                writes.increment();
                written.add(completions.size());
                afterWrite(batch, accepted);
                return;
            } catch (SQLException e) {
                if (isDataError(e) && batch.size() > 0) {
                    writeOneByOne(batch);
                    return;
                }
                LOG.warnf(e, "shigoto could not write %d finished jobs; retrying in %d ms", batch.size(), delay);
                Thread.sleep(delay);
                delay = Math.min(delay * 2, MAX_RETRY_DELAY.toMillis());
            } catch (RuntimeException e) {
                LOG.warnf(e, "shigoto could not write %d finished jobs; retrying in %d ms", batch.size(), delay);
                Thread.sleep(delay);
                delay = Math.min(delay * 2, MAX_RETRY_DELAY.toMillis());
            }
        }
    }

    /**
     * The database refused a value of the batch (not a lost connection, which is retried): find the culprit by writing
     * each outcome alone, and store the culprit's outcome without its payload so it cannot block the others forever.
     */
    private void writeOneByOne(List<Pending> batch) throws InterruptedException {
        for (Pending p : batch) {
            List<Pending> one = List.of(p);
            try {
                afterWrite(one, store.finish(List.of(p.completion())));
            } catch (SQLException e) {
                if (!isDataError(e)) {
                    write(one);
                    continue;
                }
                Completion c = p.completion();
                LOG.errorf("the outcome of job %d was refused by the database (%s); storing it without its result",
                        c.id(), e.getMessage());
                JobError refused = new JobError(c.attempt(), c.finishedAt() != null ? c.finishedAt() : Instant.now(),
                        "unstorable-outcome", "the database refused this attempt's outcome: " + e.getMessage(), null);
                Completion bare = new Completion(c.id(), c.attempt(), c.state(), c.scheduledAt(), c.finishedAt(),
                        c.refundAttempt(), null, JsonCodec.writeError(refused), c.progress());
                try {
                    afterWrite(one, store.finish(List.of(bare)));
                } catch (SQLException again) {
                    LOG.errorf(again, "could not store job %d at all; it stays executing until rescued", c.id());
                    permits.release(p.permit() ? 1 : 0);
                }
            }
        }
    }

    /** SQLSTATE class 22 (data exception): the values are at fault, so retrying the same batch cannot succeed. */
    private static boolean isDataError(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("22");
    }

    private void afterWrite(List<Pending> batch, List<FinishedJob> accepted) {
        int held = 0;
        Instant earliestDue = null;
        Set<String> limitedQueues = null;
        for (Pending p : batch) {
            held += p.permit() ? 1 : 0;
            if (p.limitedQueue() != null) {
                if (limitedQueues == null) {
                    limitedQueues = new HashSet<>();
                }
                limitedQueues.add(p.limitedQueue());
            }
            Instant due = p.completion().scheduledAt();
            if (due != null && (earliestDue == null || due.isBefore(earliestDue))) {
                earliestDue = due;
            }
        }
        permits.release(held);
        if (earliestDue != null) {
            rescheduled.accept(earliestDue);
        }
        if (limitedQueues != null) {
            limitedFinished.accept(limitedQueues);
        }
        if (accepted.size() < batch.size()) {
            LOG.debugf("%d finished jobs had changed meanwhile (cancelled or rescued) and were left alone",
                    batch.size() - accepted.size());
        }
        long[] finished = new long[accepted.size()];
        int n = 0;
        for (FinishedJob f : accepted) {
            // a dependent inserted while this write ran is not seen here: the pending sweep decides it
            if (f.state().isFinal() && f.hasDependents()) {
                finished[n++] = f.id();
            }
        }
        if (n > 0) {
            finishedForGood.accept(n == finished.length ? finished : java.util.Arrays.copyOf(finished, n));
        }
        count(batch, accepted);
        announce(batch, accepted);
        Map<Long, Pending> discarded = null;
        for (FinishedJob f : accepted) {
            if (f.state() == JobState.DISCARDED) {
                if (discarded == null) {
                    discarded = new HashMap<>();
                    for (Pending p : batch) {
                        if (p.completion().state() == JobState.DISCARDED) {
                            discarded.put(p.completion().id(), p);
                        }
                    }
                }
                Pending p = discarded.get(f.id());
                if (p != null && p.worker() != null) {
                    // encrypted args as stored: the worker gets them as its attempt read them, decrypted
                    String args = KeyRing.isEnvelope(f.argsJson()) && p.job() != null ? p.job().argsJson()
                            : f.argsJson();
                    callbacks.execute(() -> onDiscard(f, args, p.worker()));
                }
            }
        }
    }

    /** Counts the stored outcomes by queue for the throughput chart: one map update per queue of the batch. */
    private void count(List<Pending> batch, List<FinishedJob> accepted) {
        Set<Long> stored = null;
        if (accepted.size() < batch.size()) {
            stored = new HashSet<>(accepted.size() * 2);
            for (FinishedJob f : accepted) {
                stored.add(f.id());
            }
        }
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        String queue = null;
        int[] bySlot = new int[4];
        for (Pending p : batch) {
            if (p.job() == null || stored != null && !stored.contains(p.completion().id())) {
                continue;
            }
            int slot = OutcomeCounts.slot(p.completion().state());
            if (slot < 0) {
                continue;
            }
            if (!p.job().queue().equals(queue)) {
                if (queue != null) {
                    counts.add(minute, queue, bySlot);
                    bySlot = new int[4];
                }
                queue = p.job().queue();
            }
            bySlot[slot]++;
        }
        if (queue != null) {
            counts.add(minute, queue, bySlot);
        }
    }

    /** Hands the stored outcomes to the listener, off the completer's thread. */
    private void announce(List<Pending> batch, List<FinishedJob> accepted) {
        if (!listener.wantsOutcomes() || accepted.isEmpty()) {
            return;
        }
        java.util.Set<Long> stored = new java.util.HashSet<>(accepted.size() * 2);
        accepted.forEach(f -> stored.add(f.id()));
        List<OutcomeListener.Stored> outcomes = new ArrayList<>(accepted.size());
        for (Pending p : batch) {
            if (p.job() != null && stored.contains(p.completion().id())) {
                outcomes.add(new OutcomeListener.Stored(p.job(), p.completion(), p.runNanos()));
            }
        }
        callbacks.execute(() -> {
            try {
                listener.stored(outcomes, node);
            } catch (RuntimeException e) {
                LOG.warnf(e, "a lifecycle event observer failed");
            }
        });
    }

    private static void onDiscard(FinishedJob job, String argsJson, JobWorker worker) {
        try {
            worker.onDiscard(JsonCodec.readObjectOrEmpty(argsJson), JsonCodec.readErrors(job.errorsJson()));
        } catch (RuntimeException e) {
            LOG.errorf(Outcomes.secrets(worker, argsJson).scrub(e), "onDiscard of job %d failed", job.id());
        }
    }
}
