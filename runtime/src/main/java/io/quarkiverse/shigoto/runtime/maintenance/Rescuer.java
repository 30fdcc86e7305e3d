package io.quarkiverse.shigoto.runtime.maintenance;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.runtime.lifecycle.NodeService;
import io.quarkiverse.shigoto.runtime.lifecycle.Periodic;
import io.quarkiverse.shigoto.runtime.queue.BroadcastCounts;
import io.quarkiverse.shigoto.runtime.queue.JobExecutor;
import io.quarkiverse.shigoto.runtime.store.BroadcastStore;
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
 * row leaves the node table. The waiting deliveries of broadcast queues whose node left the cluster are cancelled
 * with a {@code node-left} error, which lets their broadcasts finish, and broadcasts no transaction could finish are
 * finished. Runs on the leader, every {@code quarkus.shigoto.rescue-interval}.
 */
public final class Rescuer implements NodeService {

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
    private final Duration every;
    private final BooleanSupplier leading;
    private final Periodic loop;
    private final BroadcastStore broadcasts;
    private final BroadcastCounts broadcastCounts;

    /**
     * @param self the node this rescuer runs on, which is never lost to itself: its heartbeat may lag (a database
     *        that was out of reach), but its jobs run here
     * @param nodeTimeout how long after its last heartbeat a node counts as lost
     * @param every how often it looks for lost nodes
     * @param thread the node's maintenance thread, which it shares with the pruner
     * @param leading whether this node leads now: only the leader rescues
     * @param broadcastCounts where the deliveries given up for nodes that left are counted
     */
    public Rescuer(MaintenanceStore store, JobExecutor executor, Clock clock, String self, Duration nodeTimeout,
            Duration every, ScheduledExecutorService thread, BooleanSupplier leading, BroadcastStore broadcasts,
            BroadcastCounts broadcastCounts) {
        this.broadcasts = broadcasts;
        this.broadcastCounts = broadcastCounts;
        this.self = self;
        this.store = store;
        this.executor = executor;
        this.clock = clock;
        this.nodeTimeout = nodeTimeout;
        this.every = every;
        this.leading = leading;
        this.loop = new Periodic(thread, every, every, this::tick);
    }

    /** @return what is wrong with the rescue interval, naming its property */
    public static List<String> problems(Duration rescueInterval) {
        return rescueInterval.toMillis() < 10
                ? List.of("quarkus.shigoto.rescue-interval must be at least 10ms, not " + rescueInterval)
                : List.of();
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() {
        loop.stop();
    }

    private void tick() {
        if (!leading.getAsBoolean()) {
            return;
        }
        try {
            rescue();
        } catch (Exception e) {
            LOG.warnf("shigoto could not rescue the jobs of lost nodes (%s); trying again in %s", e.getMessage(),
                    every);
        }
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
        abandonDeliveries(now);
        Duration silence = FORGET_AFTER.compareTo(nodeTimeout) > 0 ? FORGET_AFTER : nodeTimeout;
        int forgotten = store.forgetLostNodes(silence);
        if (forgotten > 0) {
            LOG.infof("shigoto removed %d nodes silent for longer than %s from the node table", forgotten, silence);
        }
        return rescued;
    }

    /**
     * Gives up the waiting deliveries of nodes that left (after their running ones were rescued above, and became
     * waiting ones) and of broadcasts no longer running their fan-out, then closes the broadcasts whose deliveries
     * are all finished but which no transaction closed.
     */
    private void abandonDeliveries(Instant now) throws SQLException {
        while (true) {
            BroadcastStore.Abandoned abandoned = broadcasts.abandonDeparted(nodeTimeout, self, BATCH, now);
            abandoned.nodeLeft().forEach(broadcastCounts::abandoned);
            if (!abandoned.nodeLeft().isEmpty()) {
                LOG.infof("shigoto gave up deliveries of broadcast queues whose nodes left the cluster: %s",
                        abandoned.nodeLeft());
            }
            if (abandoned.total() < BATCH) {
                break;
            }
        }
        // one pass a tick: a broadcast whose row stays held is looked at again next time, not in a loop here
        broadcasts.closeFinished(BATCH, now);
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
