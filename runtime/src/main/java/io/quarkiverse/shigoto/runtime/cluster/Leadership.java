package io.quarkiverse.shigoto.runtime.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.runtime.store.MaintenanceStore;

/**
 * Elects one leader among the nodes sharing a database, through a lease row: every node tries to take or renew the
 * lease every {@code lease / 5}; a node that holds it leads until the lease would run out on its own clock, counted
 * from before the renewal was sent, so it stops leading before any other node can take the expired lease (as long as
 * clocks tick at the same rate; absolute skew does not matter, the database's clock judges expiry). A node that stops
 * gives the lease up, so another takes it at its next try instead of after the lease runs out.
 */
public final class Leadership {

    private static final Logger LOG = Logger.getLogger(Leadership.class);

    private final MaintenanceStore store;
    private final String node;
    private final Duration lease;
    private final ScheduledExecutorService timer;
    private volatile long leadsUntilNanos = System.nanoTime();
    private volatile boolean leading;
    private volatile ScheduledFuture<?> task;
    private volatile boolean stopped;

    public Leadership(MaintenanceStore store, String node, Duration lease, ScheduledExecutorService timer) {
        this.store = store;
        this.node = node;
        this.lease = lease;
        this.timer = timer;
    }

    /** Tries at once, then every fifth of the lease. */
    public void start() {
        long every = Math.max(1, lease.toMillis() / 5);
        task = timer.scheduleWithFixedDelay(this::tryLead, 0, every, TimeUnit.MILLISECONDS);
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
    public void stop() {
        stopped = true;
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
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
