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
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.quarkiverse.shigoto.runtime.store.StateCount;

/**
 * The JSON shapes of the dashboard's API, built as maps so that writing them needs no reflection (native images).
 */
final class ApiJson {

    private ApiJson() {
    }

    /**
     * One job. Unless {@code full}, its args, meta and result (as JSON text) and its errors' messages and stack traces
     * longer than {@link Excerpt#LIMIT} characters are answered as a string excerpt, named with their whole length
     * in {@code truncated}, and {@code full} links to the whole job.
     *
     * @param full the link to the whole job, or {@code null} to answer it whole
     */
    static Map<String, Object> job(JobView j, String full) {
        Map<String, Integer> truncated = new LinkedHashMap<>();
        Map<String, Object> m = common(j);
        m.put("args", full == null ? j.args() : cut("args", j.args(), truncated));
        m.put("meta", full == null ? j.meta() : cut("meta", j.meta(), truncated));
        m.put("errors", errors(j.errors(), full == null ? null : truncated));
        m.put("result", full == null || j.result() == null ? j.result() : cut("result", j.result(), truncated));
        if (!truncated.isEmpty()) {
            m.put("truncated", truncated);
            m.put("full", full);
        }
        return m;
    }

    /** The jobs of a list: each with an args preview, as the list page shows them, instead of its data. */
    static List<Map<String, Object>> summaries(List<JobView> jobs) {
        List<Map<String, Object>> list = new ArrayList<>(jobs.size());
        for (JobView j : jobs) {
            Map<String, Object> m = common(j);
            m.put("argsPreview", JobRow.preview(j.args()));
            m.put("errorCount", j.errors().size());
            list.add(m);
        }
        return list;
    }

    private static Map<String, Object> common(JobView j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("kind", j.kind());
        m.put("queue", j.queue());
        m.put("state", j.state().dbName());
        m.put("priority", j.priority());
        m.put("tags", j.tags());
        m.put("attempt", j.attempt());
        m.put("maxAttempts", j.maxAttempts());
        m.put("progress", j.progress());
        m.put("partitionKey", j.partitionKey());
        m.put("insertedAt", time(j.insertedAt()));
        m.put("scheduledAt", time(j.scheduledAt()));
        m.put("attemptedAt", time(j.attemptedAt()));
        m.put("attemptedBy", j.attemptedBy());
        m.put("finishedAt", time(j.finishedAt()));
        return m;
    }

    /** @return the value, or the excerpt of its JSON when that is longer than the limit */
    private static Object cut(String field, Object value, Map<String, Integer> truncated) {
        String json = JsonCodec.write(value);
        if (json.length() <= Excerpt.LIMIT) {
            return value;
        }
        truncated.put(field, json.length());
        return Excerpt.of(json).text();
    }

    private static String cut(String field, String text, Map<String, Integer> truncated) {
        if (truncated == null || text == null || text.length() <= Excerpt.LIMIT) {
            return text;
        }
        truncated.put(field, text.length());
        return Excerpt.of(text).text();
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

    private static List<Map<String, Object>> errors(List<JobError> errors, Map<String, Integer> truncated) {
        List<Map<String, Object>> list = new ArrayList<>(errors.size());
        for (JobError e : errors) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("attempt", e.attempt());
            m.put("at", time(e.at()));
            m.put("type", e.type());
            m.put("message", cut("errors[" + list.size() + "].message", e.message(), truncated));
            m.put("stacktrace", cut("errors[" + list.size() + "].stacktrace", e.stacktrace(), truncated));
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
