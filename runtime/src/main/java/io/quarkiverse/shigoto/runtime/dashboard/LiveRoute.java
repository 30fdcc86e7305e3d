package io.quarkiverse.shigoto.runtime.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.quarkus.arc.Arc;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Live updates: one server-sent-events stream per open page. Every second the stream compares a small fingerprint
 * of what the page shows (the overview's counts, the states of the listed jobs, one job's state and progress) with
 * the one the page was rendered with, then with the last one, and when it changed tells the page, which then
 * fetches its live parts again. Fingerprints
 * are shared for a second between the streams watching the same thing, so a hundred open overviews cost one query a
 * second, not a hundred.
 */
final class LiveRoute implements Handler<RoutingContext> {

    private static final Logger LOG = Logger.getLogger(LiveRoute.class);
    static final long TICK_MILLIS = 1_000;
    private static final int MAX_IDS = 200;

    private record Cached(String fingerprint, long at) {
    }

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    @Override
    public void handle(RoutingContext rc) {
        String watch = watchKey(rc);
        if (watch == null) {
            rc.response().setStatusCode(400)
                    .end("watch one of: overview, jobs (with ids), job (with id, and up to 200 ids in with), batch"
                            + " (with id)");
            return;
        }
        stream(rc, rc.vertx(), watch);
    }

    private void stream(RoutingContext rc, Vertx vertx, String watch) {
        HttpServerResponse response = rc.response();
        response.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        response.write(": live\n\n");
        // the fingerprint of what the page showed when it was rendered: a change between the render and the first
        // tick is a change too
        String[] last = { rc.request().getParam("fp") };
        long timer = vertx.setPeriodic(TICK_MILLIS, id -> {
            if (response.closed() || response.ended() || response.writeQueueFull()) {
                return;
            }
            vertx.<String> executeBlocking(() -> fingerprint(watch), false).onSuccess(now -> {
                if (last[0] != null && !last[0].equals(now) && !response.closed()) {
                    response.write("event: changed\ndata: " + System.currentTimeMillis() + "\n\n");
                }
                last[0] = now;
            }).onFailure(e -> LOG.debugf(e, "live fingerprint of %s failed", watch));
        });
        response.closeHandler(v -> vertx.cancelTimer(timer));
        response.endHandler(v -> vertx.cancelTimer(timer));
    }

    private String fingerprint(String watch) throws Exception {
        long now = System.currentTimeMillis();
        Cached c = cache.get(watch);
        if (c != null && now - c.at() < TICK_MILLIS - 100) {
            return c.fingerprint();
        }
        DashboardData data = Arc.container().instance(DashboardData.class).get();
        String fresh = DashboardRoute.fingerprint(data, watch);
        cache.put(watch, new Cached(fresh, now));
        if (cache.size() > 1_000) {
            cache.clear();
        }
        return fresh;
    }

    /**
     * @return the query of a page's event stream: what it watches and the fingerprint it was rendered with
     */
    static String query(String watch, String fingerprint) {
        return watch + "&fp=" + java.net.URLEncoder.encode(fingerprint, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** @return comma-separated ids, sorted; none for none; {@code null} when one is no id or there are too many */
    private static List<Long> ids(String raw) {
        List<Long> ids = new ArrayList<>();
        for (String part : raw == null || raw.isBlank() ? new String[0] : raw.split(",")) {
            try {
                ids.add(Long.parseLong(part.trim()));
            } catch (NumberFormatException e) {
                return null;
            }
            if (ids.size() > MAX_IDS) {
                return null;
            }
        }
        ids.sort(null);
        return ids;
    }

    /** @return a normalised description of what the page watches, or {@code null} when it makes no sense */
    static String watchKey(RoutingContext rc) {
        String watch = rc.request().getParam("watch");
        if ("overview".equals(watch)) {
            return "overview";
        }
        if ("batch".equals(watch)) {
            try {
                return "batch:" + Long.parseLong(rc.request().getParam("id"));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if ("job".equals(watch)) {
            // a broadcast's page watches its deliveries too ("with")
            List<Long> with = ids(rc.request().getParam("with"));
            try {
                long id = Long.parseLong(rc.request().getParam("id"));
                return with == null ? null : "job:" + id + with.stream().map(w -> "," + w).collect(Collectors.joining());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if ("jobs".equals(watch)) {
            List<Long> ids = ids(rc.request().getParam("ids"));
            return ids == null ? null : "jobs:" + ids.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return null;
    }
}
