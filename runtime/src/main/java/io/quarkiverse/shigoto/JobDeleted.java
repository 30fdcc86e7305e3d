package io.quarkiverse.shigoto;

/**
 * CDI event: a job was deleted by request ({@link Shigoto#delete(long)}, {@link Shigoto#deleteBy(JobFilter)}, the
 * dashboard and its API). Jobs removed by pruning after their retention are not announced one by one.
 *
 * @param id the job's id (no longer stored)
 * @param kind the job's kind
 * @param queue the job's queue
 * @param attempt the job's latest attempt (0 when none ran)
 * @param node the node that took the request
 * @param previous the state the job was in
 */
public record JobDeleted(long id, String kind, String queue, int attempt, String node, JobState previous)
        implements
            JobEvent {
}
