package io.quarkiverse.shigoto.runtime.dashboard;

import java.sql.SQLException;

import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.ShigotoRuntime;
import io.vertx.ext.web.RoutingContext;

/** The queues: waiting and running jobs, pause/resume and scale, a link to each queue's partitions. */
final class QueuesRoute extends DashboardRoute {

    QueuesRoute(String base, DashboardAccess access) {
        super(base, access);
    }

    @Override
    String render(RoutingContext rc, ShigotoRuntime runtime, Shigoto shigoto) throws SQLException {
        OverviewRoute.Cluster cluster = OverviewRoute.cluster(runtime, shigoto);
        String watch = OverviewRoute.watch(runtime, runtime.store().dashboard().stateCounts());
        return DashboardPages.queues(base, forms(rc), watch, cluster.queues()).render();
    }
}
