package io.quarkiverse.shigoto;

/**
 * CDI event: an attempt completed and its outcome is stored.
 *
 * @param id the job's id
 * @param kind the job's kind
 * @param queue the job's queue
 * @param attempt the attempt
 * @param node the node that ran it
 */
public record JobCompleted(long id, String kind, String queue, int attempt, String node) implements JobEvent {
}
