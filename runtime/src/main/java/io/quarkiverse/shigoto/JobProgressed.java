package io.quarkiverse.shigoto;

/**
 * A CDI event fired on the node that stored a job's progress, by {@link JobContext#reportProgress(int)} (coalesced:
 * at most one per job and write batch) or {@link Shigoto#reportProgress(long, int)}. Observe it with
 * {@code @Observes}; observers run on a shigoto thread and should return quickly.
 *
 * @param id the job
 * @param percent the stored progress, 0 to 100
 */
public record JobProgressed(long id, int percent) {
}
