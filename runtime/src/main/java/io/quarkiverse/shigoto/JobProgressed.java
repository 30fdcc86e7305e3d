package io.quarkiverse.shigoto;

/**
 * A CDI event fired on the node that stored a job's progress, by {@link JobContext#reportProgress(int)} (coalesced:
 * at most one per job and write batch) or {@link Shigoto#reportProgress(long, int)}. Observe it with
 * {@code @Observes}, or observe {@link JobEvent} to get it with every other event; observers run on a shigoto thread
 * and should return quickly.
 *
 * @param id the job
 * @param kind the job's kind
 * @param queue the job's queue
 * @param attempt the attempt that reported it; for {@link Shigoto#reportProgress(long, int)} the job's latest attempt
 *        (0 when none started yet)
 * @param node the node that ran that attempt, or {@code null} when no attempt started yet
 * @param percent the stored progress, 0 to 100
 */
public record JobProgressed(long id, String kind, String queue, int attempt, String node,
        int percent) implements JobEvent {
}
