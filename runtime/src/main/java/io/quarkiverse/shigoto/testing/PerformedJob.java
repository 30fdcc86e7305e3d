package io.quarkiverse.shigoto.testing;

import java.time.Duration;
import java.time.Instant;

import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.JobState;

/**
 * What one attempt run by {@link ShigotoTesting#performJob} came to: what the worker returned or threw, and the state
 * the engine would have stored for it (classified exactly as a real attempt: timeouts, the attempt budget, the
 * worker's backoff).
 *
 * @param id the id the attempt ran under: negative (-1, -2, ... per application), as nothing is stored
 * @param kind the job's kind
 * @param attempt the attempt it ran as
 * @param state the state the job would be in now: {@code completed}, {@code retryable} (failed, attempts left),
 *        {@code scheduled} (snoozed), {@code discarded} (failed, no attempt left) or {@code cancelled}
 * @param result what the worker (or a middleware answering for it) returned; {@code null} when it threw, timed out
 *        or could not start
 * @param failure what the worker or a middleware threw (or a reactive worker's {@code Uni} failed with), else
 *        {@code null}
 * @param error the error entry the attempt would store (type, message, stack trace), {@code null} when it completed
 *        or snoozed
 * @param nextRunAt when a retryable or snoozed job would run again, else {@code null}
 * @param progress the last progress the attempt reported, {@code null} for none
 * @param took how long the attempt ran
 */
public record PerformedJob(long id, String kind, int attempt, JobState state, JobResult result, Throwable failure,
        JobError error, Instant nextRunAt, Integer progress, Duration took) {

    /** @return whether the attempt completed the job */
    public boolean completed() {
        return state == JobState.COMPLETED;
    }

    /**
     * @return the value of {@link JobResult#ok(Object)}, as the worker returned it (not read back from JSON), or
     *         {@code null}
     */
    public Object value() {
        return result == null ? null : result.value();
    }
}
