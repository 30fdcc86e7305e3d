package io.quarkiverse.shigoto.it.workers;

import java.util.Map;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * A worker with a schedule of its own: a yearly report at midnight on New Year's Day, New York time.
 */
@Job(kind = "cron-report", queue = "cron", cron = "@yearly", cronTimezone = "America/New_York")
public class CronReportWorker implements Worker {

    @Override
    public JobResult perform(Map<String, Object> args) {
        return JobResult.ok();
    }
}
