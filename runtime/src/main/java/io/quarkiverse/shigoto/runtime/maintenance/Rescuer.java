package io.quarkiverse.shigoto.runtime.maintenance;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.runtime.queue.JobExecutor;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.MaintenanceStore;
import io.quarkiverse.shigoto.runtime.store.MaintenanceStore.LostNode;

/**
 * Finds the jobs left {@code executing} by nodes that stopped heartbeating (killed, frozen, cut off, or stopped with
 * jobs still running) and hands each to the completer as a failed attempt with a {@code node-lost} error: retried
 * after the worker's backoff while attempts remain, discarded (with {@code onDiscard}) once they are used up, so a job
 * that kills its node every time ends discarded instead of looping. The completer's guard (still executing, same
 * attempt) makes a rescue lose against an outcome the lost node wrote meanwhile, and makes a second rescue of the
 * same attempt a no-op. Once a lost node has been silent for {@link #FORGET_AFTER} and holds no executing job, its
 * row leaves the node table. Runs on the leader.
 */
public final class Rescuer {

    private static final Logger LOG = Logger.getLogger(Rescuer.class);
    static final int BATCH = 1_000;
    /**
     * A lost node's row is removed once the node has been silent this long (or for the node timeout, if longer) and
     * its jobs were handed over: as long as the dashboard shows a silent node.
     */
    public static final Duration FORGET_AFTER = Duration.ofHours(1);

    private final MaintenanceStore store;
    private final JobExecutor executor;
    private final Clock clock;
    private final Duration nodeTimeout;
    private final String self;

    /**
     * @param self the node this rescuer runs on, which is never lost to itself: its heartbeat may lag (a database
     *        that was out of reach), but its jobs run here
     * @param nodeTimeout how long after its last heartbeat a node counts as lost
     */
    public Rescuer(MaintenanceStore store, JobExecutor executor, Clock clock, String self, Duration nodeTimeout) {
        this.self = self;
        this.store = store;
        this.executor = executor;
        this.clock = clock;
        this.nodeTimeout = nodeTimeout;
    }

    /** @return how many executing jobs of lost nodes were handed over to be retried or discarded */
    public int rescue() throws SQLException {
        Instant now = clock.instant();
        int rescued = 0;
        for (LostNode lost : store.lostNodes(nodeTimeout)) {
            if (!lost.node().equals(self)) {
                rescued += rescue(lost, now);
            }
        }
        Duration silence = FORGET_AFTER.compareTo(nodeTimeout) > 0 ? FORGET_AFTER : nodeTimeout;
        int forgotten = store.forgetLostNodes(silence);
        if (forgotten > 0) {
            LOG.infof("shigoto removed %d nodes silent for longer than %s from the node table", forgotten, silence);
        }
        return rescued;
    }

    private int rescue(LostNode lost, Instant now) throws SQLException {
        String message = lost.lastHeartbeat() == null
                ? "node " + lost.node() + " left the cluster while running this attempt"
                : "node " + lost.node() + " stopped heartbeating (last at " + lost.lastHeartbeat()
                        + ") while running this attempt";
        int rescued = 0;
        long cursor = 0;
        while (true) {
            List<ClaimedJob> jobs = store.executingOn(lost.node(), cursor, BATCH);
            for (ClaimedJob job : jobs) {
                executor.rescue(job, message, now);
                cursor = job.id();
            }
            rescued += jobs.size();
            if (jobs.size() < BATCH) {
                break;
            }
        }
        if (rescued > 0) {
            LOG.warnf("shigoto rescues %d jobs of lost node %s (%s)", rescued, lost.node(),
                    lost.lastHeartbeat() == null ? "gone from the node table" : "last heartbeat " + lost.lastHeartbeat());
        }
        return rescued;
    }
}
