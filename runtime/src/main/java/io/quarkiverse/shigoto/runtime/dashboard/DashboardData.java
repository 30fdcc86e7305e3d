package io.quarkiverse.shigoto.runtime.dashboard;

import java.time.Clock;
import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.shigoto.runtime.config.ConfiguredQueues;
import io.quarkiverse.shigoto.runtime.config.ShigotoConfig;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.store.KindLimit;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;

/**
 * What the dashboard's pages read besides the client: the store's dashboard reads, the clock, the node timeout, and
 * what this node knows of kinds' limits and fair queues (for "why is this job not running?").
 * The routes are Vert.x handlers made by the recorder, so they look this bean up per request.
 */
@Singleton
@Unremovable
public class DashboardData {

    private final JobStore store;
    private final Clock clock;
    private final Duration nodeTimeout;
    private final WorkerCatalog catalog;
    private final ConfiguredQueues queues;

    @Inject
    public DashboardData(JobStore store, @Identifier("shigoto") Clock clock, ShigotoConfig config,
            WorkerCatalog catalog, ConfiguredQueues queues) {
        this.store = store;
        this.clock = clock;
        this.nodeTimeout = config.nodeTimeout();
        this.catalog = catalog;
        this.queues = queues;
    }

    /** @return the limits of a kind, or {@code null} when it has none */
    public KindLimit limit(String kind) {
        for (KindLimit l : catalog.limits()) {
            if (l.kind().equals(kind)) {
                return l;
            }
        }
        return null;
    }

    /** @return whether this node's configuration makes the queue a broadcast queue */
    public boolean broadcast(String queue) {
        return queues.broadcast().contains(queue);
    }

    /** @return whether this node's configuration makes the queue fair */
    public boolean fair(String queue) {
        return queues.fair().contains(queue);
    }

    public JobStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    /** @return how long after its last heartbeat a node counts as lost */
    public Duration nodeTimeout() {
        return nodeTimeout;
    }
}
