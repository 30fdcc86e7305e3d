package io.quarkiverse.shigoto.runtime.queue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.quarkiverse.shigoto.JobWorker;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.worker.WorkerDefinition;

/**
 * One attempt while it runs: what it runs (the worker's definition, its instance, the parsed arguments), the race
 * between its end, its deadline and a cancellation (whichever comes first decides what is stored), its cancellation
 * flag and its latest progress.
 * <p>
 * The lock makes sure an interrupt sent by a timeout or a cancellation lands before the thread moves on, so
 * {@link #end()} can clear it and it never hits the next job.
 */
final class RunningAttempt {

    /** No progress reported. */
    static final int NO_PROGRESS = -1;

    private final ClaimedJob job;
    private final WorkerDefinition definition;
    private final JobWorker worker;
    private final Object args;
    private final String node;
    private final Thread thread;
    private final ProgressWriter progressWriter;
    private final long startNanos = System.nanoTime();
    /** How long the attempt may run before the executor's watchdog times it out. */
    private final long timeoutNanos;
    private boolean over;
    private volatile boolean cancelled;
    private boolean timedOut;
    private StopAction onStop;
    private boolean stopActionRan;
    private volatile int progress = NO_PROGRESS;
    private volatile int storedProgress = NO_PROGRESS;
    private volatile boolean queuedForWrite;
    /** The attempt's span, when it is traced. */
    volatile Tracing.Attempt trace;

    /**
     * @param definition the worker's definition: its timeout is how long the attempt may run before the executor's
     *        watchdog times it out
     * @param worker the worker instance the attempt runs (its backoff and callbacks apply to a timeout)
     * @param args the job's arguments, parsed
     * @param thread the thread of a blocking attempt, interrupted by a timeout or a cancellation; {@code null} for a
     *        reactive one
     */
    RunningAttempt(ClaimedJob job, WorkerDefinition definition, JobWorker worker, Object args, String node,
            Thread thread, ProgressWriter progressWriter) {
        this.job = job;
        this.definition = definition;
        this.worker = worker;
        this.args = args;
        this.node = node;
        this.thread = thread;
        this.progressWriter = progressWriter;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(definition.timeoutMillis());
    }

    /** @return how long the attempt may run */
    Duration timeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    /** @return whether the attempt has run past its timeout at {@code nanoTime} */
    boolean pastDeadline(long nanoTime) {
        return nanoTime - startNanos >= timeoutNanos;
    }

    ClaimedJob job() {
        return job;
    }

    WorkerDefinition definition() {
        return definition;
    }

    JobWorker worker() {
        return worker;
    }

    Object args() {
        return args;
    }

    /** @return whether the attempt is reactive: no thread of its own to interrupt */
    boolean isReactive() {
        return thread == null;
    }

    /** @return how long the attempt has run */
    long ranNanos() {
        return System.nanoTime() - startNanos;
    }

    String node() {
        return node;
    }

    boolean isCancelled() {
        return cancelled;
    }

    /** What a reactive attempt does when a cancellation or its timeout stops it. */
    @FunctionalInterface
    interface StopAction {
        /** @param timedOut whether the timeout stopped it (else a cancellation did) */
        void stopped(boolean timedOut);
    }

    /**
     * Sets what a reactive attempt runs when it is cancelled or times out (cancel its subscription, store a timeout,
     * free its slot); runs it now if that came first. It runs once either way.
     */
    void onStop(StopAction action) {
        synchronized (this) {
            onStop = action;
        }
        runStopAction();
    }

    /**
     * The deadline passed: if the attempt is still running it is over now, and its thread is interrupted.
     *
     * @return whether the timeout decides the attempt's outcome
     */
    boolean timeOut() {
        synchronized (this) {
            if (over) {
                return false;
            }
            over = true;
            timedOut = true;
            if (thread != null) {
                thread.interrupt();
            }
        }
        runStopAction();
        return true;
    }

    /**
     * The job was cancelled in the database: the attempt is over, nothing it returns will be stored.
     */
    void cancel() {
        synchronized (this) {
            if (over) {
                return;
            }
            over = true;
            cancelled = true;
            if (thread != null) {
                thread.interrupt();
            }
        }
        runStopAction();
    }

    private void runStopAction() {
        StopAction action;
        boolean byTimeout;
        synchronized (this) {
            if (!(cancelled || timedOut) || onStop == null || stopActionRan) {
                return;
            }
            stopActionRan = true;
            action = onStop;
            byTimeout = timedOut;
        }
        action.stopped(byTimeout);
    }

    /** @return whether the attempt ended by itself, before its deadline or a cancellation */
    boolean end() {
        boolean first;
        synchronized (this) {
            first = !over;
            over = true;
        }
        if (thread != null) {
            // clears an interrupt sent by a timeout or cancellation that won the race
            Thread.interrupted();
        }
        return first;
    }

    void reportProgress(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("progress must be between 0 and 100, was " + percent);
        }
        progress = percent;
        if (!queuedForWrite && percent != storedProgress) {
            queuedForWrite = true;
            progressWriter.queue(this);
        }
    }

    /** @return the progress to write now, or {@link #NO_PROGRESS}; taken by the progress writer */
    int takeProgress() {
        queuedForWrite = false;
        int p = progress;
        if (p == storedProgress) {
            return NO_PROGRESS;
        }
        storedProgress = p;
        return p;
    }

    /** @return the latest progress not written yet, to store with the outcome, or {@code null} */
    Integer unwrittenProgress() {
        int p = progress;
        return p == NO_PROGRESS || p == storedProgress ? null : p;
    }
}
