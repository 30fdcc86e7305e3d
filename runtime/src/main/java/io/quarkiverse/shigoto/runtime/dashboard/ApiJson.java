package io.quarkiverse.shigoto.runtime.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quarkiverse.shigoto.CronView;
import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.QueueView;
import io.quarkiverse.shigoto.runtime.store.StateCount;

/**
 * The JSON shapes of the dashboard's API, built as maps so that writing them needs no reflection (native images).
 */
final class ApiJson {

    private ApiJson() {
    }

    static Map<String, Object> job(JobView j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("kind", j.kind());
        m.put("queue", j.queue());
        m.put("state", j.state().dbName());
        m.put("priority", j.priority());
        m.put("args", j.args());
        m.put("meta", j.meta());
        m.put("tags", j.tags());
        m.put("attempt", j.attempt());
        m.put("maxAttempts", j.maxAttempts());
        m.put("errors", errors(j.errors()));
        m.put("result", j.result());
        m.put("progress", j.progress());
        m.put("partitionKey", j.partitionKey());
        m.put("insertedAt", time(j.insertedAt()));
        m.put("scheduledAt", time(j.scheduledAt()));
        m.put("attemptedAt", time(j.attemptedAt()));
        m.put("attemptedBy", j.attemptedBy());
        m.put("finishedAt", time(j.finishedAt()));
        return m;
    }

    static List<Map<String, Object>> jobs(List<JobView> jobs) {
        List<Map<String, Object>> list = new ArrayList<>(jobs.size());
        jobs.forEach(j -> list.add(job(j)));
        return list;
    }

    static Map<String, Object> queue(QueueView q) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", q.name());
        m.put("paused", q.paused());
        m.put("concurrency", q.concurrency());
        m.put("nodes", q.nodes());
        return m;
    }

    static Map<String, Object> cron(CronView e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", e.name());
        m.put("kind", e.kind());
        m.put("schedule", e.schedule());
        m.put("timezone", e.timezone());
        m.put("queue", e.queue());
        m.put("enabled", e.enabled());
        m.put("catchUp", e.catchUp().toString());
        m.put("lastRunAt", time(e.lastRunAt()));
        m.put("lastJobId", e.lastJobId());
        m.put("nextRunAt", time(e.nextRunAt()));
        return m;
    }

    static Map<String, Object> state(StateCount c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", c.state());
        m.put("count", c.count());
        m.put("estimated", c.estimated());
        return m;
    }

    private static List<Map<String, Object>> errors(List<JobError> errors) {
        List<Map<String, Object>> list = new ArrayList<>(errors.size());
        for (JobError e : errors) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("attempt", e.attempt());
            m.put("at", time(e.at()));
            m.put("type", e.type());
            m.put("message", e.message());
            m.put("stacktrace", e.stacktrace());
            m.put("node", e.node());
            m.put("startedAt", time(e.startedAt()));
            list.add(m);
        }
        return list;
    }

    private static String time(Instant at) {
        return at == null ? null : at.toString();
    }
}
