package io.quarkiverse.shigoto.runtime.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.quarkiverse.shigoto.BatchState;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.store.BatchStore;
import io.vertx.ext.web.RoutingContext;

/**
 * The batches list, or the workflows list: newest first, filtered by name (contains, case-insensitively) and state,
 * a page at a time by keyset ({@code before=<id>}).
 */
final class BatchesRoute extends DashboardRoute {

    static final int PAGE = 50;
    /** The longest name filter accepted. */
    static final int MAX_NAME = 200;

    private final boolean workflows;

    BatchesRoute(String base, DashboardAccess access, boolean workflows) {
        super(base, access);
        this.workflows = workflows;
    }

    @Override
    String render(RoutingContext rc, DashboardData data, Shigoto shigoto) throws SQLException {
        String name = param(rc, "name");
        String state = param(rc, "state");
        String error = null;
        BatchState wanted = null;
        if (name != null && name.length() > MAX_NAME) {
            error = "the name filter is " + name.length() + " characters long, more than " + MAX_NAME;
        }
        if (state != null) {
            try {
                wanted = BatchState.valueOf(state.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                error = "unknown state '" + Excerpt.of(state).text() + "': one of open, running, finished";
            }
        }
        long before = Long.MAX_VALUE;
        String raw = param(rc, "before");
        if (raw != null) {
            try {
                before = Long.parseLong(raw);
            } catch (NumberFormatException e) {
                error = "before must be a batch id, a number";
            }
        }
        List<BatchRow> rows = new ArrayList<>();
        String next = null;
        if (error == null) {
            List<BatchStore.Summary> page = data.store().batches().page(workflows, name, wanted, before, PAGE + 1);
            Instant now = data.clock().instant();
            for (BatchStore.Summary b : page.subList(0, Math.min(PAGE, page.size()))) {
                rows.add(BatchRow.of(b, now));
            }
            if (page.size() > PAGE) {
                next = query(name, state) + "before=" + rows.get(rows.size() - 1).batch().id();
            }
        }
        return DashboardPages.batches(base, forms(rc), "", workflows ? "workflows" : "batches", name, state, rows, next, error)
                .render();
    }

    private static String param(RoutingContext rc, String name) {
        String v = rc.request().getParam(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String query(String name, String state) {
        StringBuilder q = new StringBuilder();
        if (name != null) {
            q.append("name=").append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('&');
        }
        if (state != null) {
            q.append("state=").append(URLEncoder.encode(state, StandardCharsets.UTF_8)).append('&');
        }
        return q.toString();
    }
}
