package io.quarkiverse.shigoto;

/**
 * CDI event: a job was cancelled, by its worker ({@link JobResult#cancel(String)}) or by request
 * ({@link Shigoto#cancel(long)}, {@link Shigoto#cancelBy(JobFilter)}, the dashboard and its API).
 *
 * @param id the job's id
 * @param kind the job's kind
 * @param queue the job's queue
 * @param attempt the attempt that cancelled it; for a cancel by request the job's latest attempt (0 when none ran)
 * @param node the node that ran the attempt; for a cancel by request the node that took the request
 * @param reason the reason the worker gave, or the one stored for a cancel by request
 * @param byRequest {@code true} when a request cancelled the job, {@code false} when its worker did
 */
public record JobCancelled(long id, String kind, String queue, int attempt, String node, String reason,
        boolean byRequest) implements JobEvent {
}
