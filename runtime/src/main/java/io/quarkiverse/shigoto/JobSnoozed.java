package io.quarkiverse.shigoto;

import java.time.Instant;

/**
 * CDI event: a job was snoozed until {@code until}, by its worker ({@link JobResult#snooze(java.time.Duration)},
 * without using the attempt) or by request ({@link Shigoto#snooze(long, java.time.Duration)}, the dashboard).
 *
 * @param id the job's id
 * @param kind the job's kind
 * @param queue the job's queue
 * @param attempt the attempt that snoozed it; for a snooze by request the job's latest attempt (0 when none ran)
 * @param node the node that ran the attempt; for a snooze by request the node that took the request
 * @param until when it is due again
 * @param byRequest {@code true} when a request snoozed the job, {@code false} when its worker did
 */
public record JobSnoozed(long id, String kind, String queue, int attempt, String node, Instant until,
        boolean byRequest) implements JobEvent {
}
