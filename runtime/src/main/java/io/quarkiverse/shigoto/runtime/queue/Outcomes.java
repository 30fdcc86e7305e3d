package io.quarkiverse.shigoto.runtime.queue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.Backoff;
import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobWorker;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.Completion;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.quarkiverse.shigoto.runtime.worker.Secrets;
import io.quarkiverse.shigoto.runtime.worker.TypedArgs;

/**
 * Turns what an attempt came to into the row change to store: completed, retryable after backoff, discarded after
 * the last attempt, snoozed without using an attempt, or cancelled.
 */
final class Outcomes {

    private static final Logger LOG = Logger.getLogger(Outcomes.class);
    private static final int MAX_STACKTRACE = 16_384;
    /**
     * The longest backoff, as long as the longest snooze ({@link JobResult#MAX_SNOOZE}): far beyond any sane delay,
     * far within what PostgreSQL can store.
     */
    static final Duration MAX_DELAY = JobResult.MAX_SNOOZE;

    private Outcomes() {
    }

    /** @param json writes a result that is not a plain JSON value (a record of the worker's) */
    static Completion of(ClaimedJob job, JobResult result, JobWorker worker, Instant now, TypedArgs json) {
        switch (result.outcome()) {
            case OK:
                return completed(job, result, worker, now, json);
            case SNOOZE:
                return new Completion(job.id(), job.attempt(), JobState.SCHEDULED, later(now, result.snoozeDelay()),
                        null, true, null, null, null);
            case CANCEL:
                JobError cancelled = new JobError(job.attempt(), now, "cancelled", result.reason(), null);
                return new Completion(job.id(), job.attempt(), JobState.CANCELLED, null, now, false, null,
                        JsonCodec.writeError(cancelled), null);
            default:
                return failed(job, new JobError(job.attempt(), now, "error", result.reason(), null), worker, now);
        }
    }

    static Completion ofException(ClaimedJob job, Throwable failure, JobWorker worker, Instant now) {
        String message = failure.getMessage() != null ? failure.getMessage() : failure.toString();
        return failed(job, new JobError(job.attempt(), now, failure.getClass().getName(), message,
                stacktrace(failure)), worker, now);
    }

    /**
     * A failure that is not the worker's own: no worker for the kind, unreadable args, a timeout.
     */
    static Completion failure(ClaimedJob job, String type, String message, JobWorker worker, Instant now) {
        return failed(job, new JobError(job.attempt(), now, type, message, null), worker, now);
    }

    /** An attempt that could not start on this node: retried after the default backoff, or discarded if last. */
    static Completion notStarted(ClaimedJob job, String node, Throwable failure, Instant now) {
        return failed(job, new JobError(job.attempt(), now, "start-failed", "attempt " + job.attempt()
                + " could not start on node " + node + ": " + failure, stacktrace(failure)), null, now);
    }

    private static Completion completed(ClaimedJob job, JobResult result, JobWorker worker, Instant now,
            TypedArgs typed) {
        String json = null;
        Object value = result.value();
        if (value != null) {
            try {
                json = writeResult(value, typed);
            } catch (IllegalArgumentException e) {
                return failure(job, "error", "the job's result cannot be written as JSON: " + e.getMessage(), worker,
                        now);
            }
        }
        return new Completion(job.id(), job.attempt(), JobState.COMPLETED, null, now, false, json, null, null);
    }

    /**
     * @return the result as JSON: JSON values (strings, numbers, booleans, maps, collections) as for map args,
     *         anything else (a record, a class) by the application's mapper
     */
    private static String writeResult(Object value, TypedArgs typed) {
        boolean json = value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Map || value instanceof Collection;
        return json ? JsonCodec.writeValue(value, "result") : typed.writeResult(value);
    }

    private static Completion failed(ClaimedJob job, JobError error, JobWorker worker, Instant now) {
        String errorJson = JsonCodec.writeError(error);
        if (job.attempt() >= job.maxAttempts()) {
            return new Completion(job.id(), job.attempt(), JobState.DISCARDED, null, now, false, null, errorJson, null);
        }
        return new Completion(job.id(), job.attempt(), JobState.RETRYABLE, later(now, backoff(job, error, worker)),
                null, false, null, errorJson, null);
    }

    /** @return what the worker's redact hides of the args, for the log line of a failure of its callback */
    static Secrets secrets(JobWorker worker, String argsJson) {
        try {
            return Secrets.of(worker, JsonCodec.readObject(argsJson));
        } catch (IllegalArgumentException e) {
            return Secrets.NONE;
        }
    }

    private static Instant later(Instant now, Duration delay) {
        return now.plus(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay);
    }

    private static Duration backoff(ClaimedJob job, JobError error, JobWorker worker) {
        if (worker != null) {
            try {
                Duration d = worker.backoff(job.attempt(), error);
                if (d != null) {
                    return d.isNegative() ? Duration.ZERO : d;
                }
            } catch (RuntimeException e) {
                LOG.warnf(secrets(worker, job.argsJson()).scrub(e), "backoff of job kind %s failed; using the default",
                        job.kind());
            }
        }
        return Backoff.exponential(job.attempt());
    }

    static String stacktrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        String s = out.toString();
        return s.length() > MAX_STACKTRACE ? s.substring(0, MAX_STACKTRACE) + "\n\t... (truncated)" : s;
    }
}
