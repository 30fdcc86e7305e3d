package io.quarkiverse.shigoto;

/**
 * CDI event: the job's last attempt failed: it will not run again.
 *
 * @param id the job's id
 * @param kind the job's kind
 * @param queue the job's queue
 * @param attempt the attempt
 * @param node the node that ran it
 * @param error what failed
 */
public record JobDiscarded(long id, String kind, String queue, int attempt, String node, JobError error) implements JobEvent {
}
