package io.quarkiverse.shigoto.runtime.dashboard;

import java.time.Instant;

import io.quarkiverse.shigoto.CronView;

/**
 * A cron entry as the cron page shows it.
 *
 * @param view the entry with its last and next run
 * @param lastRunAgo when its last run was scheduled, relative to now ("3 min ago"), or empty
 * @param nextRunIn when its next run is, relative to now ("in 5 min"), or empty
 */
public record CronRow(CronView view, String lastRunAgo, String nextRunIn) {

    static CronRow of(CronView view, Instant now) {
        return new CronRow(view, JobRow.relative(view.lastRunAt(), now), JobRow.relative(view.nextRunAt(), now));
    }
}
