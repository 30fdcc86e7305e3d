package io.quarkiverse.shigoto;

/**
 * CDI event: a retryable, discarded or cancelled job was made due again with a fresh attempt budget by request
 * ({@link Shigoto#retry(long)}, {@link Shigoto#retryBy(JobFilter)}, the dashboard and its API). A worker's failure
 * that will be retried is {@link JobFailed}, not this.
 *
 * @param id the job's id
 * @param kind the job's kind
 * @param queue the job's queue
 * @param attempt the job's latest attempt (0 when none ran); the next one is {@code attempt + 1}
 * @param node the node that took the request
 * @param previous the state the job was in: {@code retryable}, {@code discarded} or {@code cancelled}
 * @param state the state it is in now: {@code available}, or {@code pending} when it waits for dependencies again
 */
public record JobRetried(long id, String kind, String queue, int attempt, String node, JobState previous,
        JobState state) implements JobEvent {
}
