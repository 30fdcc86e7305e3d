package io.quarkiverse.shigoto.runtime.dashboard;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.ShigotoRuntime;
import io.quarkiverse.shigoto.runtime.store.ClusterStore;
import io.vertx.ext.web.RoutingContext;

/** The overview: jobs by state, the queues and the nodes. */
final class OverviewRoute extends DashboardRoute {

    /** Nodes silent for longer than this are no longer shown (a stale one shows, marked, until then). */
    static final Duration SHOWN_FOR = Duration.ofHours(1);

    OverviewRoute(String base, DashboardAccess access) {
        super(base, access);
    }

    @Override
    String render(RoutingContext rc, ShigotoRuntime runtime, Shigoto shigoto) throws SQLException {
        Instant now = runtime.clock().instant();
        List<NodeRow> nodes = new ArrayList<>();
        for (ClusterStore.NodeRow n : runtime.store().cluster().nodes(now.minus(SHOWN_FOR))) {
            nodes.add(NodeRow.of(n, now));
        }
        return DashboardPages.overview(base, forms(rc), live(runtime, "watch=overview", "overview"),
                runtime.store().dashboard().stateCounts(), shigoto.queues(), nodes).render();
    }
}
