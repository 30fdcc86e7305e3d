package io.quarkiverse.shigoto.runtime.store;

import io.quarkiverse.shigoto.JobState;

/**
 * A completion the database accepted (the job was still executing that attempt).
 *
 * @param id the job id
 * @param state the state written
 * @param argsJson the arguments, only for discarded jobs (for {@code onDiscard})
 * @param errorsJson every error of the job, only for discarded jobs
 * @param hasDependents whether some job depended on it when it finished: only then may a final state release or
 *        cancel dependents
 */
public record FinishedJob(long id, JobState state, String argsJson, String errorsJson, boolean hasDependents) {
}
