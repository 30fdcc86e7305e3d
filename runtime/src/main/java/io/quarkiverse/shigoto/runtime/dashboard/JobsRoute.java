package io.quarkiverse.shigoto.runtime.dashboard;

import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.store.DashboardReads;
import io.quarkiverse.shigoto.runtime.store.JobSelection;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.vertx.ext.web.RoutingContext;

/**
 * The jobs list: filtered by state, queue, kind, tag, partition key, args containment or args text, newest or oldest
 * inserted first or soonest due first, a page at a time by keyset (no OFFSET scan however deep the page).
 */
final class JobsRoute extends DashboardRoute {

    static final int PAGE = 50;

    JobsRoute(String base, DashboardAccess access) {
        super(base, access);
    }

    /**
     * One page of the list in the filter's order.
     *
     * @param page the jobs
     * @param next the query string of the next page (filter included), or {@code null} on the last one
     */
    record Listing(DashboardReads.Page page, String next) {
    }

    /**
     * Reads the page the request asks for: {@code before=<id>} pages newest first, {@code after=<id>} oldest first,
     * {@code due=<epoch micros>&after=<id>} soonest due first.
     *
     * @throws IllegalArgumentException naming what in the filter is wrong
     */
    static Listing list(RoutingContext rc, DashboardData data, JobsFilter filter) throws SQLException {
        JobSelection selection = selection(filter);
        DashboardReads reads = data.store().dashboard();
        String query = filter.query();
        String prefix = query.isEmpty() ? "" : query + "&";
        switch (filter.order()) {
            case "oldest": {
                DashboardReads.Page page = reads.oldest(selection, number(rc.request().getParam("after"), 0), PAGE);
                return new Listing(page, page.next() == null ? null : prefix + "after=" + page.next());
            }
            case "due": {
                long micros = number(rc.request().getParam("due"), Long.MIN_VALUE);
                Instant due = micros == Long.MIN_VALUE ? Instant.EPOCH.minusSeconds(86_400L * 365 * 100)
                        : Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
                DashboardReads.Page page = reads.due(selection, due, number(rc.request().getParam("after"), 0), PAGE);
                if (page.next() == null) {
                    return new Listing(page, null);
                }
                JobView last = page.jobs().get(page.jobs().size() - 1);
                return new Listing(page, prefix + "due=" + ChronoUnit.MICROS.between(Instant.EPOCH, last.scheduledAt())
                        + "&after=" + last.id());
            }
            default: {
                DashboardReads.Page page = reads.jobs(selection, filter.text(),
                        number(rc.request().getParam("before"), Long.MAX_VALUE), PAGE);
                return new Listing(page, page.next() == null ? null : prefix + "before=" + page.next());
            }
        }
    }

    @Override
    String render(RoutingContext rc, DashboardData data, Shigoto shigoto) throws SQLException {
        JobsFilter filter = JobsFilter.from(rc);
        Listing listing;
        try {
            listing = list(rc, data, filter);
        } catch (IllegalArgumentException e) {
            return DashboardPages.jobs(base, forms(rc), "", filter, List.of(), null, e.getMessage(), null).render();
        }
        DashboardReads.Page page = listing.page();
        Instant now = data.clock().instant();
        List<JobRow> rows = new ArrayList<>(page.jobs().size());
        for (JobView job : Redaction.apply(page.jobs())) {
            rows.add(JobRow.of(job, now));
        }
        String searched = page.searchedDownTo() == null ? null
                : "The args search looked at jobs down to #" + page.searchedDownTo()
                        + " only (args have no index: a search reads " + DashboardReads.SEARCH_WINDOW
                        + " jobs at most per page).";
        String ids = rows.stream().map(r -> r.job().id()).sorted().map(String::valueOf)
                .reduce((a, b) -> a + "," + b).orElse("");
        return DashboardPages.jobs(base, forms(rc), live(data, "watch=jobs&ids=" + ids, "jobs:" + ids), filter,
                rows, listing.next(), null, searched).render();
    }

    private static long number(String text, long otherwise) {
        try {
            return text == null ? otherwise : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** @return the filter's batch id, or {@code null} */
    static Long batchId(JobsFilter f) {
        if (f.batch() == null) {
            return null;
        }
        try {
            return Long.parseLong(f.batch());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("batch must be the id of a batch or workflow, a number, not '"
                    + Excerpt.of(f.batch()).text() + "'");
        }
    }

    /** @throws IllegalArgumentException naming what in the filter is wrong */
    static JobSelection selection(JobsFilter f) {
        if (!JobsFilter.SORTS.contains(f.order())) {
            throw new IllegalArgumentException("unknown sort '" + f.sort() + "': one of " + JobsFilter.SORTS);
        }
        if (f.order().equals("due") && !(f.state() != null && List.of("scheduled", "retryable").contains(f.state()))) {
            throw new IllegalArgumentException("the soonest-due order lists scheduled or retryable jobs: pick one of"
                    + " those states (other jobs are listed newest or oldest first, which reads no more than a page)");
        }
        if (f.text() != null && !f.order().equals("newest")) {
            throw new IllegalArgumentException("an args text search lists the newest jobs first: it reads a window of"
                    + " ids at a time, as args have no index");
        }
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
                f.tag() == null ? List.of() : List.of(f.tag()), args, f.partition(), batchId(f));
    }
}
