package io.quarkiverse.shigoto;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a stored job, as answered by inserts and {@link Shigoto#job(long)}.
 *
 * @param id the job's id
 * @param kind the worker kind
 * @param queue the queue
 * @param state the state at the time of reading
 * @param priority the claim priority; higher is claimed first
 * @param args the arguments
 * @param meta the metadata
 * @param tags the tags
 * @param attempt how many attempts have started
 * @param maxAttempts the attempt budget
 * @param errors the recorded errors, oldest first
 * @param result the stored result of a completed job, or {@code null}
 * @param partitionKey the partition key, or {@code null}
 * @param insertedAt when the job was inserted
 * @param scheduledAt when the job is or was due
 * @param attemptedAt when the latest attempt started, or {@code null}
 * @param attemptedBy the node that ran the latest attempt, or {@code null}
 * @param finishedAt when the job completed, was discarded or cancelled, or {@code null}
 * @param progress the progress (0 to 100) last reported for it, 0 until one is; never {@code null} (the type stays
 *        {@code Integer} so code compiled against earlier releases keeps linking)
 * @param conflict {@code true} when an insert found an existing unique job instead of storing a new one
 */
public record JobView(long id, String kind, String queue, JobState state, int priority, Map<String, Object> args,
        Map<String, Object> meta, List<String> tags, int attempt, int maxAttempts, List<JobError> errors, Object result,
        String partitionKey, Instant insertedAt, Instant scheduledAt, Instant attemptedAt, String attemptedBy,
        Instant finishedAt, Integer progress, boolean conflict) {

    /** A job no one reported progress for is at 0, so readers never unbox a {@code null}. */
    public JobView {
        if (progress == null) {
            progress = 0;
        }
    }
}
