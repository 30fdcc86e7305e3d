package io.quarkiverse.shigoto;

/**
 * CDI event: an attempt snoozed the job until {@code until}, without using the attempt.
 *
 * @param id the job's id
 * @param kind the job's kind
 * @param queue the job's queue
 * @param attempt the attempt
 * @param node the node that ran it
 * @param until when it is due again
 */
public record JobSnoozed(long id, String kind, String queue, int attempt, String node,
        java.time.Instant until) implements JobEvent {
}
