package io.quarkiverse.shigoto.runtime.dashboard;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.Delivery;
import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.ShigotoException;
import io.quarkiverse.shigoto.runtime.store.BroadcastStore;
import io.quarkiverse.shigoto.runtime.store.DashboardReads;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.quarkiverse.shigoto.runtime.store.StateCount;
import io.quarkus.arc.Arc;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * The dashboard's JSON API under {@code <base>/api}: the pages' data and actions for scripts and tools.
 * <ul>
 * <li>{@code GET /api/overview}: job counts by state and the queues;</li>
 * <li>{@code GET /api/jobs?state=&queue=&kind=&tag=&partition=&args=&text=&before=}: a page of jobs, newest first,
 * each with an args preview instead of its data, and the {@code before} of the next page;</li>
 * <li>{@code GET /api/jobs/<id>}: one job with its dependencies and dependents (and, when it waits, why it is not
 * running: {@code "waiting": [{"code", "text", "jobs"}]}), fields longer than
 * {@link Excerpt#LIMIT} cut ({@code ?full=true}: whole);</li>
 * <li>{@code GET /api/cron}: the cron entries with their last and next run;</li>
 * <li>{@code POST /api/jobs/<id>/cancel|retry|delete}, {@code POST /api/jobs/<id>/snooze?seconds=N},
 * {@code POST /api/queues/<name>/pause|resume}, {@code POST /api/queues/<name>/scale?concurrency=N}: actions,
 * answering {@code {"done": true}}, or {@code 409} with the job, its state and the action when its state does not
 * allow it ({@code 404} when no job has the id). Numbers are bounded as {@link Inputs} says.</li>
 * </ul>
 * Posts need the header {@code X-Requested-By} (any value): a page of another site cannot send it without the
 * browser asking this server first, which it never allows. Roles and read-only mode apply as for the pages.
 */
final class ApiRoute implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(ApiRoute.class);

    private final String prefix;
    private final DashboardAccess access;

    ApiRoute(String base, DashboardAccess access) {
        this.prefix = base + "/api/";
        this.access = access;
    }

    @Override
    public void handle(RoutingContext rc) {
        String normalized = rc.normalizedPath();
        String path = normalized.startsWith(prefix) ? normalized.substring(prefix.length()) : "";
        String[] parts = path == null ? new String[0] : path.split("/");
        try {
            Shigoto shigoto = Arc.container().instance(Shigoto.class).get();
            DashboardData data = Arc.container().instance(DashboardData.class).get();
            Object answer = rc.request().method() == HttpMethod.POST ? post(rc, parts, shigoto)
                    : rc.request().method() == HttpMethod.GET ? get(rc, parts, data, shigoto) : null;
            if (answer == null) {
                send(rc, 404, Map.of("error", "no such API resource: " + rc.request().method() + " " + path));
            } else if (answer instanceof Refusal r) {
                send(rc, r.status(), r.body());
            } else {
                send(rc, 200, answer);
            }
        } catch (InvalidJobException | IllegalArgumentException e) {
            send(rc, 400, Map.of("error", e.getMessage()));
        } catch (SQLException | ShigotoException e) {
            LOG.errorf(e, "dashboard API %s %s failed", rc.request().method(), path);
            send(rc, 500, Map.of("error", e.getMessage()));
        }
    }

    /** An answer other than 200: its status and JSON body. */
    private record Refusal(int status, Map<String, Object> body) {

        Refusal(int status, String why) {
            this(status, Map.of("error", why));
        }
    }

    private Object get(RoutingContext rc, String[] p, DashboardData data, Shigoto shigoto)
            throws SQLException {
        if (p.length == 1 && p[0].equals("overview")) {
            List<Object> states = new ArrayList<>();
            for (StateCount c : data.store().dashboard().stateCounts()) {
                states.add(ApiJson.state(c));
            }
            List<Object> queues = new ArrayList<>();
            shigoto.queues().forEach(q -> queues.add(ApiJson.queue(q)));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("states", states);
            m.put("queues", queues);
            m.put("leader", data.store().maintenance().leader().map(l -> l.node()).orElse(null));
            m.put("stuck", OverviewRoute.stuck(data));
            List<Object> minutes = new ArrayList<>();
            data.store().maintenance().stats(OverviewRoute.CHART_MINUTES, null).forEach(s -> {
                Map<String, Object> minute = new LinkedHashMap<>();
                minute.put("minute", s.minute().toString());
                minute.put("completed", s.completed());
                minute.put("failed", s.failed());
                minute.put("discarded", s.discarded());
                minute.put("cancelled", s.cancelled());
                minutes.add(minute);
            });
            m.put("throughput", minutes);
            return m;
        }
        if (p.length == 1 && p[0].equals("jobs")) {
            JobsRoute.Listing listing = JobsRoute.list(rc, data, JobsFilter.from(rc));
            DashboardReads.Page page = listing.page();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("jobs", ApiJson.summaries(Redaction.apply(page.jobs())));
            m.put("next", listing.next());
            m.put("searchedDownTo", page.searchedDownTo());
            return m;
        }
        if (p.length == 1 && p[0].equals("cron")) {
            List<Object> entries = new ArrayList<>();
            shigoto.cronEntries().forEach(e -> entries.add(ApiJson.cron(e)));
            return Map.of("entries", entries);
        }
        if (p.length == 2 && p[0].equals("jobs")) {
            long id = Inputs.id(p[1]);
            JobView job = shigoto.job(id).orElse(null);
            if (job == null) {
                return new Refusal(404, "no job has the id " + id);
            }
            boolean full = "true".equals(rc.request().getParam("full"));
            Map<String, Object> m = ApiJson.job(Redaction.apply(job), full ? null : prefix + "jobs/" + id + "?full=true");
            m.put("dependencies", ApiJson.summaries(Redaction.apply(shigoto.dependencies(id))));
            m.put("dependents", ApiJson.summaries(Redaction.apply(shigoto.dependents(id))));
            BroadcastStore.Role role = data.store().broadcasts().role(id);
            if (role != null && role.delivery()) {
                m.put("broadcast", Map.of("id", role.broadcastId(), "node", role.node()));
            } else if (role != null) {
                List<Object> deliveries = new ArrayList<>();
                for (Delivery d : shigoto.deliveries(id)) {
                    Map<String, Object> delivery = ApiJson.summaries(Redaction.apply(List.of(d.job()))).get(0);
                    delivery.put("node", d.node());
                    deliveries.add(delivery);
                }
                m.put("deliveries", deliveries);
            }
            if (WhyWaiting.waiting(job.state())) {
                List<Object> why = new ArrayList<>();
                for (WhyWaiting.Reason r : WhyWaiting.decide(WhyWaiting.gather(data, shigoto, job))) {
                    List<Object> items = new ArrayList<>();
                    r.items().forEach(i -> items.add(Map.of("id", i.jobId(), "note", i.note())));
                    why.add(Map.of("code", r.code(), "text", r.text(), "jobs", items));
                }
                m.put("waiting", why);
            }
            return m;
        }
        return null;
    }

    private Object post(RoutingContext rc, String[] p, Shigoto shigoto) {
        if (access.readOnly()) {
            return new Refusal(403, "the shigoto dashboard is read-only");
        }
        if (rc.request().getHeader("X-Requested-By") == null) {
            return new Refusal(403, "API posts need the header X-Requested-By");
        }
        if (p.length == 3 && p[0].equals("jobs")) {
            long id = Inputs.id(p[1]);
            JobActions.Outcome outcome = JobActions.perform(shigoto, p[2], id,
                    () -> Inputs.snooze(rc.request().getParam("seconds")));
            if (outcome == null) {
                return null;
            }
            if (outcome.done()) {
                return Map.of("done", true);
            }
            Map<String, Object> refusal = new LinkedHashMap<>();
            refusal.put("error", outcome.refusal());
            refusal.put("job", id);
            refusal.put("state", outcome.state() == null ? null : outcome.state().dbName());
            refusal.put("action", p[2]);
            return new Refusal(outcome.status(), refusal);
        }
        if (p.length == 3 && p[0].equals("queues")) {
            switch (p[2]) {
                case "pause" -> shigoto.pauseQueue(p[1]);
                case "resume" -> shigoto.resumeQueue(p[1]);
                case "scale" -> shigoto.scaleQueue(p[1], Inputs.concurrency(rc.request().getParam("concurrency")));
                default -> {
                    return null;
                }
            }
            return Map.of("done", true);
        }
        return null;
    }

    private static void send(RoutingContext rc, int status, Object body) {
        rc.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store").end(JsonCodec.write(body));
    }
}
