package io.quarkiverse.shigoto.runtime.dashboard;

import java.sql.SQLException;

import io.quarkiverse.shigoto.Shigoto;
import io.vertx.ext.web.RoutingContext;

/**
 * The queues: waiting and running jobs, pause/resume and scale, a link to each queue's partitions; and the circuit
 * breakers of the kinds that have one, with a reset.
 */
final class QueuesRoute extends DashboardRoute {

    QueuesRoute(String base, DashboardAccess access) {
        super(base, access);
    }

    @Override
    String render(RoutingContext rc, DashboardData data, Shigoto shigoto) throws SQLException {
        OverviewRoute.Cluster cluster = OverviewRoute.cluster(data, shigoto);
        String watch = OverviewRoute.watch(data, data.store().dashboard().stateCounts());
        return DashboardPages.queues(base, forms(rc), watch, cluster.queues(), shigoto.circuitBreakers()).render();
    }
}
