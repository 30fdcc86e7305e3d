package io.quarkiverse.shigoto.runtime.dashboard;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.ShigotoRuntime;
import io.quarkiverse.shigoto.runtime.store.DashboardReads;
import io.quarkiverse.shigoto.runtime.store.JobSelection;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.vertx.ext.web.RoutingContext;

/**
 * The jobs list: filtered by state, queue, kind, tag, partition key, args containment or args text, newest first,
 * a page at a time by id (keyset: no OFFSET scan however deep the page).
 */
final class JobsRoute extends DashboardRoute {

    static final int PAGE = 50;

    JobsRoute(String base, DashboardAccess access) {
        super(base, access);
    }

    @Override
    String render(RoutingContext rc, ShigotoRuntime runtime, Shigoto shigoto) throws SQLException {
        JobsFilter filter = JobsFilter.from(rc);
        long before = cursor(rc.request().getParam("before"));
        JobSelection selection;
        try {
            selection = selection(filter);
        } catch (IllegalArgumentException e) {
            return DashboardPages.jobs(base, forms(rc), "", filter, List.of(), null, e.getMessage(), null).render();
        }
        DashboardReads.Page page = runtime.store().dashboard().jobs(selection, filter.text(), before, PAGE);
        Instant now = runtime.clock().instant();
        List<JobRow> rows = new ArrayList<>(page.jobs().size());
        for (JobView job : Redaction.apply(page.jobs())) {
            rows.add(JobRow.of(job, now));
        }
        String next = null;
        if (page.next() != null) {
            String query = filter.query();
            next = (query.isEmpty() ? "" : query + "&") + "before=" + page.next();
        }
        String searched = page.searchedDownTo() == null ? null
                : "The args search looked at jobs down to #" + page.searchedDownTo()
                        + " only (args have no index: a search reads " + DashboardReads.SEARCH_WINDOW
                        + " jobs at most per page).";
        String ids = rows.stream().map(r -> r.job().id()).sorted().map(String::valueOf)
                .reduce((a, b) -> a + "," + b).orElse("");
        return DashboardPages.jobs(base, forms(rc), live(runtime, "watch=jobs&ids=" + ids, "jobs:" + ids), filter,
                rows, next, null, searched).render();
    }

    private static long cursor(String before) {
        try {
            return before == null ? Long.MAX_VALUE : Long.parseLong(before);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** @throws IllegalArgumentException naming what in the filter is wrong */
    static JobSelection selection(JobsFilter f) {
        List<String> states = List.of();
        if (f.state() != null) {
            try {
                states = List.of(JobState.fromDb(f.state()).dbName());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown state '" + f.state() + "'");
            }
        }
        String args = null;
        if (f.args() != null) {
            Map<String, Object> object;
            try {
                object = JsonCodec.readObject(f.args());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("args must be a JSON object, such as {\"user\": 42}");
            }
            args = JsonCodec.write(object);
        }
        return new JobSelection(null, f.kind() == null ? List.of() : List.of(f.kind()),
                f.queue() == null ? List.of() : List.of(f.queue()), states,
                f.tag() == null ? List.of() : List.of(f.tag()), args, f.partition());
    }
}
