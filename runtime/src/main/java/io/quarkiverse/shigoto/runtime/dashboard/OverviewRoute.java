package io.quarkiverse.shigoto.runtime.dashboard;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkiverse.shigoto.QueueView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.ShigotoRuntime;
import io.quarkiverse.shigoto.runtime.store.ClusterStore;
import io.quarkiverse.shigoto.runtime.store.DashboardReads;
import io.quarkiverse.shigoto.runtime.store.StateCount;
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
        List<ClusterStore.NodeRow> rows = runtime.store().cluster().nodes(SHOWN_FOR);
        rows.forEach(n -> nodes.add(NodeRow.of(n, now, n.liveWithin(runtime.nodeTimeout()))));
        Map<String, Integer> executing = ClusterStore.executing(rows, runtime.nodeTimeout());
        DashboardReads.QueueCounts counts = runtime.store().dashboard().queueCounts();
        List<QueueRow> queues = new ArrayList<>();
        for (QueueView q : shigoto.queues()) {
            queues.add(new QueueRow(q, count(counts, q.name(), "available"), count(counts, q.name(), "scheduled"),
                    count(counts, q.name(), "retryable"), executing.getOrDefault(q.name(), 0)));
        }
        List<StateCount> states = runtime.store().dashboard().stateCounts();
        String watch = LiveRoute.query("watch=overview", runtime.store().dashboard().overviewFingerprint(states));
        return DashboardPages.overview(base, forms(rc), watch, states, queues, nodes).render();
    }

    private static String count(DashboardReads.QueueCounts counts, String queue, String state) {
        long n = counts.of(queue, state);
        return counts.capped().contains(state) && n > 0 ? n + "+" : String.valueOf(n);
    }
}
