package io.quarkiverse.shigoto;

/**
 * CDI event: an attempt failed and the job will run again at {@code retryAt}.
 *
 * @param id the job's id
 * @param kind the job's kind
 * @param queue the job's queue
 * @param attempt the attempt
 * @param node the node that ran it
 * @param error what failed
 * @param retryAt when it runs again
 */
public record JobFailed(long id, String kind, String queue, int attempt, String node, JobError error,
        java.time.Instant retryAt) implements JobEvent {
}
