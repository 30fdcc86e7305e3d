package io.quarkiverse.shigoto.runtime.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.shigoto.JobState;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
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
 * @param sort the order: {@code newest} (the default) or {@code oldest} inserted first, or {@code due} (soonest
 *        due first)
 * @param batch the id of the batch or workflow the jobs belong to
 */
public record JobsFilter(String state, String queue, String kind, String tag, String partition, String args,
        String text, String sort, String batch) {

    /** The orders the list can be sorted in. */
    public static final List<String> SORTS = List.of("newest", "oldest", "due");

    static JobsFilter from(RoutingContext rc) {
        return from(rc.request());
    }

    /** @return the filter in the query string, or in the form of a post */
    static JobsFilter from(HttpServerRequest request) {
        return new JobsFilter(param(request, "state"), param(request, "queue"), param(request, "kind"),
                param(request, "tag"), param(request, "partition"), param(request, "args"), param(request, "text"),
                param(request, "sort"), param(request, "batch"));
    }

    private static String param(HttpServerRequest request, String name) {
        String v = request.getParam(name);
        if (v == null && request.method() == HttpMethod.POST) {
            v = request.getFormAttribute(name);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** @return the order to list in: one of {@link #SORTS} */
    public String order() {
        return sort == null ? "newest" : sort;
    }

    /** @return every order, for the sort picker */
    public List<String> allSorts() {
        return SORTS;
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
        add(parts, "sort", sort);
        add(parts, "batch", batch);
        return String.join("&", parts);
    }

    private static void add(List<String> parts, String name, String value) {
        if (value != null) {
            parts.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }
}
