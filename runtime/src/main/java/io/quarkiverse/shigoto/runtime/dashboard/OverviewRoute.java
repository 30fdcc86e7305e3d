package io.quarkiverse.shigoto.runtime.dashboard;

import java.sql.SQLException;

import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.ShigotoRuntime;
import io.vertx.ext.web.RoutingContext;

/** The overview: jobs by state and the queues. */
final class OverviewRoute extends DashboardRoute {

    OverviewRoute(String base, DashboardAccess access) {
        super(base, access);
    }

    @Override
    String render(RoutingContext rc, ShigotoRuntime runtime, Shigoto shigoto) throws SQLException {
        return DashboardPages
                .overview(base, forms(rc), "watch=overview", runtime.store().dashboard().stateCounts(), shigoto.queues())
                .render();
    }
}
