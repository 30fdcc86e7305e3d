package io.quarkiverse.shigoto.runtime.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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
 */
public record NewJob(String kind, String queue, int priority, Map<String, Object> args, String argsJson,
        Map<String, Object> meta, String metaJson, List<String> tags, int maxAttempts, Instant scheduledAt,
        JobState state, String partitionKey, String limitKey) {
}
