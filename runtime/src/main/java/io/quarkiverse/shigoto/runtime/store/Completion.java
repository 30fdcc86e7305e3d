package io.quarkiverse.shigoto.runtime.store;

import java.time.Instant;
import java.util.List;

import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobState;

/**
 * The stored outcome of one finished attempt, written by the completer in batches.
 *
 * @param id the job id
 * @param attempt the attempt that finished; the write only applies while the job is still executing it
 * @param state the new state
 * @param scheduledAt the new due time (retryable, snoozed), or {@code null} to keep it
 * @param finishedAt when the job finished for good, or {@code null}
 * @param refundAttempt whether the attempt is given back (a snooze)
 * @param resultJson the stored result, or {@code null}
 * @param errorJson an error entry to append, or {@code null}
 * @param progress the attempt's last reported progress not stored yet, or {@code null}
 */
public record Completion(long id, int attempt, JobState state, Instant scheduledAt, Instant finishedAt,
        boolean refundAttempt, String resultJson, String errorJson, Integer progress) {

    /** @return this outcome, also storing the attempt's last progress */
    public Completion withProgress(Integer progress) {
        return progress == null ? this
                : new Completion(id, attempt, state, scheduledAt, finishedAt, refundAttempt, resultJson, errorJson,
                        progress);
    }

    /** @return whether this is a completion with nothing but a finish time to store (the fast path) */
    public boolean isPlainCompletion() {
        return state == JobState.COMPLETED && resultJson == null && errorJson == null && scheduledAt == null
                && !refundAttempt
                && progress == null;
    }

    /** @return the error entry this outcome stores, read from its JSON, or {@code null} for none */
    public JobError error() {
        if (errorJson == null) {
            return null;
        }
        List<JobError> errors = JsonCodec.readErrors("[" + errorJson + "]");
        return errors.isEmpty() ? null : errors.get(0);
    }
}
