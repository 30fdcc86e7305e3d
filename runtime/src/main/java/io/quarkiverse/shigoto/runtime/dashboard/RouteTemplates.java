package io.quarkiverse.shigoto.runtime.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.vertx.core.Handler;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.RoutingContext;

/**
 * Names every request under the dashboard by a template of its path ({@code /shigoto/api/jobs/{id}}), for the
 * {@code uri} tag of the HTTP server metrics and the route of traces: a job id, queue name or any other value typed
 * into a path never becomes a metric series of its own. It runs before every dashboard route, so a route added later
 * is covered without a list to keep: a path segment is kept only when it is one of the dashboard's fixed words, and
 * every other segment becomes a parameter.
 */
final class RouteTemplates implements Handler<RoutingContext> {

    /**
     * The request's context local that Quarkus's HTTP metrics (and REST, and tracing) read the path template from.
     */
    static final String CONTEXT_KEY = "UrlPathTemplate";
    /** The fixed words of the dashboard's paths; anything else in a path is a value. */
    static final Set<String> WORDS = Set.of("jobs", "confirm", "queues", "cron", "static", "actions", "api", "events",
            "overview", "batches", "workflows", "cancel", "retry", "snooze", "delete", "pause", "resume", "scale",
            "bulk-cancel", "bulk-retry",
            "bulk-delete", "selected-cancel", "selected-retry", "selected-delete");
    /** Segments past this many under the dashboard fold into one parameter. */
    static final int DEPTH = 4;

    private final String base;

    RouteTemplates(String base) {
        this.base = base;
    }

    @Override
    public void handle(RoutingContext rc) {
        String template = of(base, rc.normalizedPath());
        if (template != null && rc.request() instanceof HttpServerRequestInternal request) {
            request.context().putLocal(CONTEXT_KEY, template);
        }
        rc.next();
    }

    /**
     * @param base the dashboard's absolute path
     * @param path a request's path
     * @return the path's template, or {@code null} for a path outside the dashboard
     */
    static String of(String base, String path) {
        if (path == null || !(path.equals(base) || path.startsWith(base + "/"))) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        String previous = "";
        for (String segment : path.substring(base.length()).split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            if (parts.size() == DEPTH) {
                parts.add("{rest}");
                break;
            }
            String part = kept(previous, segment) ? segment : "{" + parameter(previous) + "}";
            parts.add(part);
            previous = part;
        }
        return parts.isEmpty() ? base : base + "/" + String.join("/", parts);
    }

    /** A queue or asset may be named like a fixed word: what follows these is always a value. */
    private static boolean kept(String previous, String segment) {
        return WORDS.contains(segment) && !previous.equals("queues") && !previous.equals("static")
                && !(previous.equals("jobs") && !segment.equals("confirm"))
                && !previous.equals("batches") && !previous.equals("workflows");
    }

    private static String parameter(String previous) {
        return switch (previous) {
            case "jobs", "batches", "workflows" -> "id";
            case "queues", "static" -> "name";
            case "actions" -> "action";
            default -> "value";
        };
    }
}
