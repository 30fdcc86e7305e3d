package io.quarkiverse.shigoto.runtime.dashboard;

import java.time.Clock;
import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.shigoto.runtime.config.ShigotoConfig;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;

/**
 * What the dashboard's pages read besides the client: the store's dashboard reads, the clock and the node timeout.
 * The routes are Vert.x handlers made by the recorder, so they look this bean up per request.
 */
@Singleton
@Unremovable
public class DashboardData {

    private final JobStore store;
    private final Clock clock;
    private final Duration nodeTimeout;

    @Inject
    public DashboardData(JobStore store, @Identifier("shigoto") Clock clock, ShigotoConfig config) {
        this.store = store;
        this.clock = clock;
        this.nodeTimeout = config.nodeTimeout();
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
