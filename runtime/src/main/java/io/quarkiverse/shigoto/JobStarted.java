package io.quarkiverse.shigoto;

/**
 * CDI event: an attempt started, right before the worker runs (on the thread that runs it).
 *
 * @param id the job's id
 * @param kind the job's kind
 * @param queue the job's queue
 * @param attempt the attempt
 * @param node the node that ran it
 */
public record JobStarted(long id, String kind, String queue, int attempt, String node) implements JobEvent {
}
