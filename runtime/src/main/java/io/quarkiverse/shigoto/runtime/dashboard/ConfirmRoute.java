package io.quarkiverse.shigoto.runtime.dashboard;

import java.sql.SQLException;
import java.util.List;

import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.store.DashboardReads;
import io.quarkiverse.shigoto.runtime.store.JobSelection;
import io.vertx.ext.web.RoutingContext;

/**
 * Asks before a bulk action on every job a filter matches, stating how many jobs it would change.
 */
final class ConfirmRoute extends DashboardRoute {

    ConfirmRoute(String base, DashboardAccess access) {
        super(base, access);
    }

    @Override
    String render(RoutingContext rc, DashboardData data, Shigoto shigoto) throws SQLException {
        String action = rc.request().getParam("action");
        List<String> states = BulkAction.states(action);
        if (states == null || access.readOnly()) {
            throw new NotFound("no such action");
        }
        JobsFilter filter = JobsFilter.from(rc);
        JobSelection selection;
        try {
            selection = BulkAction.selection(filter);
        } catch (IllegalArgumentException e) {
            return DashboardPages.jobs(base, forms(rc), "", filter, List.of(), null, e.getMessage(), null).render();
        }
        long count = data.store().dashboard().countMatching(selection, states);
        return DashboardPages.confirm(base, forms(rc), "", action, filter, Math.min(count, DashboardReads.COUNT_CAP),
                count > DashboardReads.COUNT_CAP).render();
    }
}
