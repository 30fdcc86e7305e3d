package io.quarkiverse.shigoto.runtime.devui;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.CronView;
import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.QueueView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.ShigotoException;
import io.quarkiverse.shigoto.runtime.config.ConfiguredQueues;
import io.quarkiverse.shigoto.runtime.dashboard.DashboardData;
import io.quarkiverse.shigoto.runtime.maintenance.CronEntries;
import io.quarkiverse.shigoto.runtime.maintenance.CronEntry;
import io.quarkiverse.shigoto.runtime.store.DashboardReads;
import io.quarkiverse.shigoto.runtime.store.JobSelection;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.smallrye.common.annotation.Blocking;

/**
 * The Dev UI card's actions, served over the Dev UI's JSON-RPC channel in dev mode only (the deployment module
 * registers this class then; it is no bean otherwise).
 * <p>
 * Every action answers a map: {@code ok} with a {@code message} a person reads, or {@code error} naming what is wrong
 * with the input. Inputs are bounded like the dashboard's.
 */
public class ShigotoJsonRpcService {

    /** How many failed jobs the card lists. */
    static final int FAILED_JOBS = 20;
    /** The longest args text the insert form accepts. */
    static final int MAX_ARGS_CHARS = 64 * 1024;
    /** The longest kind, queue or entry name accepted. */
    static final int MAX_NAME_CHARS = 200;

    @Inject
    Shigoto shigoto;

    @Inject
    WorkerCatalog catalog;

    @Inject
    CronEntries cron;

    @Inject
    ConfiguredQueues configured;

    @Inject
    DashboardData data;

    /** @return every queue this application configures, runs or has jobs for, with its state */
    @Blocking
    public List<Map<String, Object>> queues() {
        Map<String, QueueView> known = new LinkedHashMap<>();
        for (QueueView q : shigoto.queues()) {
            known.put(q.name(), q);
        }
        TreeSet<String> names = new TreeSet<>(known.keySet());
        names.addAll(configured.running().keySet());
        names.addAll(catalog.queues());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String name : names) {
            QueueView q = known.get(name);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", name);
            row.put("paused", q != null && q.paused());
            row.put("concurrency", q != null && q.concurrency() != null ? q.concurrency()
                    : configured.running().getOrDefault(name, 0));
            row.put("nodes", q == null ? 0 : q.nodes().size());
            rows.add(row);
        }
        return rows;
    }

    /** Pauses a queue cluster-wide. */
    @Blocking
    public Map<String, Object> pauseQueue(String queue) {
        String problem = nameProblem("queue", queue);
        if (problem != null) {
            return error(problem);
        }
        shigoto.pauseQueue(queue);
        return ok("queue '" + queue + "' paused: no node claims its jobs until it is resumed");
    }

    /** Resumes a paused queue. */
    @Blocking
    public Map<String, Object> resumeQueue(String queue) {
        String problem = nameProblem("queue", queue);
        if (problem != null) {
            return error(problem);
        }
        shigoto.resumeQueue(queue);
        return ok("queue '" + queue + "' resumed");
    }

    /** @return the cron entries with their last and next run */
    @Blocking
    public List<Map<String, Object>> cronEntries() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CronView e : shigoto.cronEntries()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", e.name());
            row.put("kind", e.kind());
            row.put("schedule", e.schedule() + " (" + e.timezone() + ")");
            row.put("queue", e.queue());
            row.put("enabled", e.enabled());
            row.put("lastRunAt", e.lastRunAt() == null ? "" : e.lastRunAt().toString());
            row.put("nextRunAt", e.nextRunAt() == null ? "" : e.nextRunAt().toString());
            rows.add(row);
        }
        return rows;
    }

    /** Inserts the job a cron entry's run inserts, due now, outside its schedule (the schedule is not moved). */
    @Blocking
    public Map<String, Object> insertCronNow(String name) {
        String problem = nameProblem("cron entry", name);
        if (problem != null) {
            return error(problem);
        }
        CronEntry entry = cron.all().stream().filter(e -> e.name().equals(name)).findFirst().orElse(null);
        if (entry == null) {
            return error("no cron entry is named '" + name + "'");
        }
        return inserted(() -> shigoto.insert(entry.request(data.clock().instant())));
    }

    /** @return the newest retryable and discarded jobs, with their last error */
    @Blocking
    public List<Map<String, Object>> failedJobs() throws SQLException {
        JobSelection failed = new JobSelection(null, List.of(), List.of(), List.of("retryable", "discarded"),
                List.of(), null, null);
        DashboardReads.Page page = data.store().dashboard().jobs(failed, null, Long.MAX_VALUE, FAILED_JOBS);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JobView j : page.jobs()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", j.id());
            row.put("kind", j.kind());
            row.put("queue", j.queue());
            row.put("state", j.state().dbName());
            row.put("attempt", j.attempt() + " of " + j.maxAttempts());
            JobError last = j.errors().isEmpty() ? null : j.errors().get(j.errors().size() - 1);
            row.put("error", last == null ? "" : last.type() + ": " + last.message());
            rows.add(row);
        }
        return rows;
    }

    /** Makes a retryable or discarded job available now. */
    @Blocking
    public Map<String, Object> retryJob(long id) {
        return shigoto.retry(id) ? ok("job " + id + " is available again")
                : error("job " + id + " was not retried: it is gone, or running, or waiting already");
    }

    /** @return the kinds of this application's workers, sorted */
    public List<String> kinds() {
        return new ArrayList<>(new TreeSet<>(catalog.kinds()));
    }

    /**
     * Inserts a job the way {@link Shigoto#insert} does, with its checks.
     *
     * @param kind a worker's kind
     * @param args a JSON object, or blank for none
     * @param queue a queue, or blank for the worker's
     */
    @Blocking
    public Map<String, Object> insertJob(String kind, String args, String queue) {
        String problem = nameProblem("kind", kind);
        if (problem != null) {
            return error(problem);
        }
        if (queue != null && !queue.isBlank() && (problem = nameProblem("queue", queue)) != null) {
            return error(problem);
        }
        if (args != null && args.length() > MAX_ARGS_CHARS) {
            return error("args are " + args.length() + " characters long, more than the " + MAX_ARGS_CHARS
                    + " this form takes");
        }
        Map<String, Object> parsed;
        try {
            parsed = args == null || args.isBlank() ? Map.of() : JsonCodec.readObject(args);
        } catch (IllegalArgumentException e) {
            // Jackson's location names a source it may not show; the line and column are what a person needs
            return error("args are not a JSON object: "
                    + String.valueOf(e.getMessage()).replaceAll("\\[Source: [^;]*; ", "["));
        }
        JobRequest request = JobRequest.of(kind).args(parsed);
        if (queue != null && !queue.isBlank()) {
            request.queue(queue);
        }
        return inserted(() -> shigoto.insert(request));
    }

    private static Map<String, Object> inserted(java.util.function.Supplier<JobView> insert) {
        try {
            JobView job = insert.get();
            Map<String, Object> answer = ok(job.conflict()
                    ? "a unique job of kind '" + job.kind() + "' exists already: job " + job.id()
                    : "inserted job " + job.id() + " (" + job.kind() + ") into queue '" + job.queue() + "'");
            answer.put("id", job.id());
            return answer;
        } catch (InvalidJobException e) {
            return error(e.getMessage());
        } catch (ShigotoException e) {
            return error("the job was not inserted: " + e.getMessage());
        }
    }

    private static String nameProblem(String what, String value) {
        if (value == null || value.isBlank()) {
            return "a " + what + " is needed";
        }
        if (value.length() > MAX_NAME_CHARS) {
            return "the " + what + " is " + value.length() + " characters long, more than " + MAX_NAME_CHARS;
        }
        return null;
    }

    private static Map<String, Object> ok(String message) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ok", true);
        answer.put("message", message);
        return answer;
    }

    private static Map<String, Object> error(String message) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ok", false);
        answer.put("error", message);
        return answer;
    }
}
