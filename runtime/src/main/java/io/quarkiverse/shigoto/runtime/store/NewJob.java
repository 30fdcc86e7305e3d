package io.quarkiverse.shigoto.runtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.quarkiverse.shigoto.DependencyFailure;
import io.quarkiverse.shigoto.JobState;

/**
 * A validated job ready to be stored: every default resolved, arguments already written as JSON.
 *
 * @param kind the worker kind
 * @param queue the queue
 * @param priority the priority
 * @param args the arguments as given (answered back to the caller)
 * @param argsJson the arguments as a JSON object
 * @param meta the metadata as given
 * @param metaJson the metadata as a JSON object
 * @param tags the tags
 * @param maxAttempts the attempt budget
 * @param scheduledAt when the job is due
 * @param state {@code available} when due now, else {@code scheduled}
 * @param partitionKey the partition key, or {@code null}
 * @param limitKey the kind when its worker has a rate or concurrency limit, else {@code null}: only such jobs are
 *        claimed through the limited claim
 * @param uniqueKey the hashed unique key, or {@code null} when the job is not unique
 * @param uniqueOptions the {@code unique_options} column of a unique job
 * @param dependsOn the ids of the jobs it waits for
 * @param onDependencyFailure what it does when a dependency fails
 */
public record NewJob(String kind, String queue, int priority, Map<String, Object> args, String argsJson,
        Map<String, Object> meta, String metaJson, List<String> tags, int maxAttempts, Instant scheduledAt,
        JobState state, String partitionKey, String limitKey, byte[] uniqueKey, int uniqueOptions, long[] dependsOn,
        DependencyFailure onDependencyFailure) {

    /** @return whether the job is unique */
    public boolean unique() {
        return uniqueKey != null;
    }

    /** @return whether the job waits for other jobs */
    public boolean hasDependencies() {
        return dependsOn.length > 0;
    }

    /** @return whether it runs even if a dependency fails */
    public boolean runOnDependencyFailure() {
        return onDependencyFailure == DependencyFailure.RUN;
    }

    /** @return whether it waits for a failed dependency to be retried */
    public boolean holdOnDependencyFailure() {
        return onDependencyFailure == DependencyFailure.HOLD;
    }

    /** @return this job in another initial state */
    public NewJob withState(JobState newState) {
        return new NewJob(kind, queue, priority, args, argsJson, meta, metaJson, tags, maxAttempts, scheduledAt,
                newState, partitionKey, limitKey, uniqueKey, uniqueOptions, dependsOn, onDependencyFailure);
    }

    /** @return this job waiting for other jobs (a workflow step, once its parents have ids) */
    public NewJob withDependsOn(long[] ids) {
        return new NewJob(kind, queue, priority, args, argsJson, meta, metaJson, tags, maxAttempts, scheduledAt,
                state, partitionKey, limitKey, uniqueKey, uniqueOptions, ids, onDependencyFailure);
    }
}
