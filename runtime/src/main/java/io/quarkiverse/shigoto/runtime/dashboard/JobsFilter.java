package io.quarkiverse.shigoto.runtime.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.shigoto.JobState;
import io.vertx.ext.web.RoutingContext;

/**
 * The jobs page's filter, as typed into its form: every field is optional text.
 *
 * @param state a state name
 * @param queue a queue
 * @param kind a kind
 * @param tag a tag the jobs must have
 * @param partition a partition key
 * @param args a JSON object the args must contain
 * @param text text the args must contain, case-insensitively
 */
public record JobsFilter(String state, String queue, String kind, String tag, String partition, String args,
        String text) {

    static JobsFilter from(RoutingContext rc) {
        return new JobsFilter(param(rc, "state"), param(rc, "queue"), param(rc, "kind"), param(rc, "tag"),
                param(rc, "partition"), param(rc, "args"), param(rc, "text"));
    }

    private static String param(RoutingContext rc, String name) {
        String v = rc.request().getParam(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** @return every state name, for the state picker */
    public List<String> allStates() {
        List<String> names = new ArrayList<>();
        for (JobState s : JobState.values()) {
            names.add(s.dbName());
        }
        return names;
    }

    /** @return the filter as a query string (without {@code ?}), for links that keep it */
    public String query() {
        List<String> parts = new ArrayList<>();
        add(parts, "state", state);
        add(parts, "queue", queue);
        add(parts, "kind", kind);
        add(parts, "tag", tag);
        add(parts, "partition", partition);
        add(parts, "args", args);
        add(parts, "text", text);
        return String.join("&", parts);
    }

    private static void add(List<String> parts, String name, String value) {
        if (value != null) {
            parts.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }
}
