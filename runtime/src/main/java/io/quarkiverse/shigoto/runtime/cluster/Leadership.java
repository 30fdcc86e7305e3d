package io.quarkiverse.shigoto.runtime.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.runtime.lifecycle.NodeService;
import io.quarkiverse.shigoto.runtime.lifecycle.Periodic;
import io.quarkiverse.shigoto.runtime.store.MaintenanceStore;

/**
 * Elects one leader among the nodes sharing a database, through a lease row: every node tries to take or renew the
 * lease every {@code lease / 5}; a node that holds it leads until the lease would run out on its own clock, counted
 * from before the renewal was sent, so it stops leading before any other node can take the expired lease (as long as
 * clocks tick at the same rate; absolute skew does not matter, the database's clock judges expiry). A node that stops
 * gives the lease up, so another takes it at its next try instead of after the lease runs out.
 */
public final class Leadership implements NodeService {

    private static final Logger LOG = Logger.getLogger(Leadership.class);

    private final MaintenanceStore store;
    private final String node;
    private final Duration lease;
    private final Periodic loop;
    private volatile long leadsUntilNanos = System.nanoTime();
    private volatile boolean leading;
    private volatile boolean stopped;

    /** @param timer where it tries every fifth of the lease ({@code null} when a test calls {@link #tryLead()}) */
    public Leadership(MaintenanceStore store, String node, Duration lease, ScheduledExecutorService timer) {
        this.store = store;
        this.node = node;
        this.lease = lease;
        this.loop = new Periodic(timer, Duration.ZERO, Duration.ofMillis(lease.toMillis() / 5), this::tryLead);
    }

    /** @return what is wrong with the lease, naming its property */
    public static List<String> problems(Duration lease) {
        return lease.toMillis() < 500 ? List.of("quarkus.shigoto.leader-lease must be at least 500ms, not " + lease)
                : List.of();
    }

    /** Tries at once, then every fifth of the lease. */
    @Override
    public void start() {
        loop.start();
    }

    /** @return whether this node leads now */
    public boolean isLeader() {
        return leading && System.nanoTime() - leadsUntilNanos < 0;
    }

    /**
     * Takes or renews the lease; runs on the timer (tests call it directly).
     *
     * @return whether this node leads afterwards
     */
    public boolean tryLead() {
        if (stopped) {
            return false;
        }
        long sent = System.nanoTime();
        try {
            Optional<Instant> elected = store.acquireLeadership(node, lease);
            boolean was = isLeader();
            if (elected.isPresent() && !stopped) {
                leadsUntilNanos = sent + lease.toNanos();
                leading = true;
                if (!was) {
                    LOG.infof("shigoto node %s leads the cluster's maintenance", node);
                }
            } else {
                leading = false;
                if (was) {
                    LOG.infof("shigoto node %s no longer leads: another node took the lease", node);
                }
            }
        } catch (Exception e) {
            // keep leading until the lease would run out; isLeader() stops answering true by itself then
            LOG.warnf("shigoto node %s could not renew its leadership lease (%s)", node, e.getMessage());
        }
        return isLeader();
    }

    /** Stops trying and gives the lease up if this node holds it. */
    @Override
    public void stop() {
        stopped = true;
        loop.stop();
        boolean was = isLeader();
        leading = false;
        if (was) {
            try {
                store.releaseLeadership(node);
                LOG.infof("shigoto node %s gave up its leadership", node);
            } catch (Exception e) {
                LOG.debugf(e, "node %s could not give up its lease; it expires within %s", node, lease);
            }
        }
    }
}
