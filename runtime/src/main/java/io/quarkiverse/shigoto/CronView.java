package io.quarkiverse.shigoto;

import java.time.Duration;
import java.time.Instant;

/**
 * A cron entry with its last and next run, answered by {@link Shigoto#cronEntries()}. Entries come from
 * {@code @Job(cron = ...)} workers and from {@code quarkus.shigoto.cron."name".*}; see {@code docs/cron.md}.
 *
 * @param name the entry's name (a worker's kind for {@code @Job(cron)})
 * @param kind the kind of the jobs it inserts
 * @param schedule its cron expression, normalised ({@code "30 2 * * 1-5"}, {@code "@daily"})
 * @param timezone the zone its expression is read in ({@code "Europe/Berlin"}, {@code "UTC"} by default)
 * @param queue the queue its jobs go to
 * @param enabled whether it runs
 * @param catchUp how far back runs missed while no node was up are caught up
 * @param lastRunAt the scheduled minute of its last run on any node, or {@code null} if it never ran
 * @param lastJobId the job its last run inserted (or found, for a unique worker), or {@code null}
 * @param nextRunAt the minute of its next run, or {@code null} when it is disabled or never runs again
 */
public record CronView(String name, String kind, String schedule, String timezone, String queue, boolean enabled,
        Duration catchUp, Instant lastRunAt, Long lastJobId, Instant nextRunAt) {
}
