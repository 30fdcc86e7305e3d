package io.quarkiverse.shigoto;

import java.time.Instant;

/**
 * CDI event: a job was stored and the transaction that stored it committed (its own, or the caller's JTA
 * transaction: fired after its completion, never for a rollback). Not fired for a unique insert that found its job
 * already there ({@link JobView#conflict()}), nor for an insert that joins a Hibernate Reactive transaction or runs on
 * a connection in manual commit mode outside JTA, whose commit shigoto cannot see.
 *
 * @param id the job's id
 * @param kind the job's kind
 * @param queue the job's queue
 * @param attempt always 0: no attempt has run
 * @param node the node whose client inserted it (or whose cron did)
 * @param state the state it was stored in ({@code available}, {@code scheduled} or {@code pending})
 * @param scheduledAt when it is due
 */
public record JobInserted(long id, String kind, String queue, int attempt, String node, JobState state,
        Instant scheduledAt) implements JobEvent {
}
