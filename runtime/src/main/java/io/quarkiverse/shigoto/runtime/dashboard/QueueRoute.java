package io.quarkiverse.shigoto.runtime.dashboard;

import java.sql.SQLException;
import java.util.List;

import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.store.DashboardReads;
import io.vertx.ext.web.RoutingContext;

/**
 * One queue: its controls, the nodes running it, and its available and executing jobs by partition key, most
 * waiting first, to see a tenant hogging the queue.
 */
final class QueueRoute extends DashboardRoute {

    /** The partitions page lists this many keys at most. */
    static final int SHOWN = 100;

    QueueRoute(String base, DashboardAccess access) {
        super(base, access);
    }

    @Override
    String render(RoutingContext rc, DashboardData data, Shigoto shigoto) throws SQLException {
        String name = rc.pathParam("name");
        OverviewRoute.Cluster cluster = OverviewRoute.cluster(data, shigoto);
        List<QueueRow> rows = cluster.queues().stream().filter(q -> q.view().name().equals(name)).toList();
        List<NodeRow> nodes = cluster.nodes().stream().filter(n -> n.queues().containsKey(name)).toList();
        DashboardReads.Partitions partitions = data.store().dashboard().partitions(name);
        List<DashboardReads.PartitionCount> keyed = partitions.partitions().stream().filter(p -> p.key() != null)
                .toList();
        List<DashboardReads.PartitionCount> shown = keyed.size() > SHOWN ? keyed.subList(0, SHOWN) : keyed;
        long noKeyExecuting = partitions.partitions().stream().filter(p -> p.key() == null)
                .mapToLong(DashboardReads.PartitionCount::executing).sum();
        // jobs without a key: the queue's available count less the keyed ones, when neither stopped at its cap
        String noKeyAvailable = cluster.counts().capped(name, "available") || partitions.capped() ? "?"
                : String.valueOf(Math.max(0, cluster.counts().of(name, "available") - partitions.keyedAvailable()));
        String watch = OverviewRoute.watch(data, data.store().dashboard().stateCounts());
        return DashboardPages.queue(base, forms(rc), watch, name, rows, nodes, shown, keyed.size() - shown.size(),
                partitions.capped(), noKeyAvailable, noKeyExecuting).render();
    }
}
