package io.quarkiverse.shigoto.runtime.dashboard;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quarkiverse.shigoto.QueueView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.store.ClusterStore;
import io.quarkiverse.shigoto.runtime.store.DashboardReads;
import io.quarkiverse.shigoto.runtime.store.MaintenanceStore;
import io.quarkiverse.shigoto.runtime.store.StateCount;
import io.vertx.ext.web.RoutingContext;

/** The overview: jobs by state, the queues and the nodes. */
final class OverviewRoute extends DashboardRoute {

    /** Nodes silent for longer than this are no longer shown (a stale one shows, marked, until then). */
    static final Duration SHOWN_FOR = Duration.ofHours(1);

    /** The throughput chart covers this many minutes. */
    static final int CHART_MINUTES = 60;
    /** Stuck jobs are counted up to this many. */
    static final int STUCK_CAP = 10_000;

    OverviewRoute(String base, DashboardAccess access) {
        super(base, access);
    }

    /**
     * The queues and nodes part of the overview, also the queues page's.
     *
     * @param queues every queue the cluster knows, with its waiting and running jobs
     * @param nodes the nodes seen within {@link #SHOWN_FOR}
     * @param counts the waiting jobs of every queue with any, known to the cluster or not
     */
    record Cluster(List<QueueRow> queues, List<NodeRow> nodes, DashboardReads.QueueCounts counts) {
    }

    static Cluster cluster(DashboardData data, Shigoto shigoto) throws SQLException {
        Instant now = data.clock().instant();
        List<NodeRow> nodes = new ArrayList<>();
        List<ClusterStore.NodeRow> rows = data.store().cluster().nodes(SHOWN_FOR);
        rows.forEach(n -> nodes.add(NodeRow.of(n, now, n.liveWithin(data.nodeTimeout()))));
        Map<String, Integer> executing = ClusterStore.executing(rows, data.nodeTimeout());
        DashboardReads.QueueCounts counts = data.store().dashboard().queueCounts(DashboardReads.PAGE_COUNT_CAP);
        List<QueueRow> queues = new ArrayList<>();
        for (QueueView q : shigoto.queues()) {
            queues.add(new QueueRow(q, count(counts, q.name(), "available"), count(counts, q.name(), "scheduled"),
                    count(counts, q.name(), "retryable"), executing.getOrDefault(q.name(), 0),
                    data.broadcast(q.name()) || rows.stream()
                            .anyMatch(n -> n.liveWithin(data.nodeTimeout()) && n.broadcasts(q.name()))));
        }
        return new Cluster(queues, nodes, counts);
    }

    /** @return the overview's live watch: its state counts and the queue controls */
    static String watch(DashboardData data, List<StateCount> states) throws SQLException {
        return LiveRoute.query("watch=overview", data.store().dashboard().overviewFingerprint(states));
    }

    @Override
    String render(RoutingContext rc, DashboardData data, Shigoto shigoto) throws SQLException {
        Cluster cluster = cluster(data, shigoto);
        List<StateCount> states = data.store().dashboard().stateCounts();
        Throughput chart = Throughput.of(data.store().maintenance().stats(CHART_MINUTES, null));
        String leader = data.store().maintenance().leader().map(MaintenanceStore.Leader::node).orElse(null);
        return DashboardPages.overview(base, forms(rc), watch(data, states), states, cluster.queues(),
                cluster.nodes(), chart, stuck(data), leader).render();
    }

    /** @return how many jobs execute on lost nodes, waiting for the leader's rescue (at most {@link #STUCK_CAP}) */
    static long stuck(DashboardData data) throws SQLException {
        return data.store().maintenance().stuckJobCount(data.nodeTimeout(), STUCK_CAP);
    }

    private static String count(DashboardReads.QueueCounts counts, String queue, String state) {
        long n = counts.of(queue, state);
        return counts.capped(queue, state) ? n + "+" : String.valueOf(n);
    }
}
