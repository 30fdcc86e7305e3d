package io.quarkiverse.shigoto;

/**
 * CDI event: the worker cancelled the job ({@link JobResult#cancel(String)}).
 *
 * @param id the job's id
 * @param kind the job's kind
 * @param queue the job's queue
 * @param attempt the attempt
 * @param node the node that ran it
 * @param reason the reason the worker gave
 */
public record JobCancelled(long id, String kind, String queue, int attempt, String node, String reason) implements JobEvent {
}
