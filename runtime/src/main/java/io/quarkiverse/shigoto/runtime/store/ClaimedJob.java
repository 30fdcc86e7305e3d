package io.quarkiverse.shigoto.runtime.store;

import java.time.Instant;
import java.util.List;

/**
 * A job this node claimed and now runs. Its arguments stay JSON text until the executor parses them, so a malformed
 * row fails only its own job.
 *
 * @param id the job id
 * @param kind the worker kind
 * @param queue the queue
 * @param priority the priority
 * @param argsJson the arguments
 * @param metaJson the metadata
 * @param tags the tags
 * @param attempt the attempt this claim started
 * @param maxAttempts the attempt budget
 * @param partitionKey the partition key, or {@code null}
 * @param insertedAt when the job was inserted
 * @param scheduledAt when the job was due
 * @param attemptedAt when this attempt was claimed
 * @param problem why the row cannot be run (a column holding what no release writes, named with its value), or
 *        {@code null} for a readable row; the executor fails such a job without calling its worker
 */
public record ClaimedJob(long id, String kind, String queue, int priority, String argsJson, String metaJson,
        List<String> tags, int attempt, int maxAttempts, String partitionKey, Instant insertedAt, Instant scheduledAt,
        Instant attemptedAt, String problem) {

    /** A readable claimed job. */
    public ClaimedJob(long id, String kind, String queue, int priority, String argsJson, String metaJson,
            List<String> tags, int attempt, int maxAttempts, String partitionKey, Instant insertedAt,
            Instant scheduledAt, Instant attemptedAt) {
        this(id, kind, queue, priority, argsJson, metaJson, tags, attempt, maxAttempts, partitionKey, insertedAt,
                scheduledAt, attemptedAt, null);
    }
}
