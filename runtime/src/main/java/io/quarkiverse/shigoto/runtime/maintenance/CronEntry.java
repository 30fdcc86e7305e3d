package io.quarkiverse.shigoto.runtime.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.quarkiverse.shigoto.JobRequest;

/**
 * One validated cron entry: when it runs and the job each run inserts.
 *
 * @param name the entry's name (the kind, for a {@code @Job(cron)} worker)
 * @param schedule when it runs
 * @param kind the kind of its jobs
 * @param args the args of its jobs
 * @param queue the queue of its jobs, or {@code null} for the worker's
 * @param priority the priority of its jobs, or {@code null} for the worker's
 * @param tags the tags of its jobs, or {@code null} for the worker's
 * @param catchUp how far back missed runs are caught up
 * @param enabled whether it runs
 */
public record CronEntry(String name, CronSchedule schedule, String kind, Map<String, Object> args, String queue,
        Integer priority, List<String> tags, Duration catchUp, boolean enabled) {

    /** @return what the cursor in the database is kept for: a changed value starts it afresh */
    public String scheduleKey() {
        return schedule.expression() + " " + schedule.zone().getId();
    }

    /** @return the job of the run scheduled at {@code minute}, due then; its meta names the entry */
    public JobRequest request(Instant minute) {
        JobRequest r = JobRequest.of(kind).args(args).meta(Map.of("cron", name)).scheduledAt(minute);
        if (queue != null) {
            r.queue(queue);
        }
        if (priority != null) {
            r.priority(priority);
        }
        if (tags != null) {
            r.tags(tags);
        }
        return r;
    }
}
