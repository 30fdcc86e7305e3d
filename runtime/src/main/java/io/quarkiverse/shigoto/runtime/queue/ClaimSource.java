package io.quarkiverse.shigoto.runtime.queue;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.runtime.store.BroadcastStore;
import io.quarkiverse.shigoto.runtime.store.Claim;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.store.KindLimit;

/**
 * How one queue claims: plainly, round-robin across partition keys (a fair queue, remembering the partition served
 * last), limited kinds first within their limits, or, for a broadcast queue, this node's own deliveries after fanning
 * out the jobs that wait. The producer decides when and how many; this decides which. Used by the producer's thread
 * only.
 */
final class ClaimSource {

    private static final Logger LOG = Logger.getLogger(ClaimSource.class);
    private static final String NUMBER_OUT_OF_RANGE = "22003";
    /** The most jobs one claim of a broadcast queue fans out. */
    static final int FAN_OUT_BATCH = 100;

    private final JobStore store;
    private final String queue;
    private final String node;
    private final Clock clock;
    private final boolean fair;
    private final List<KindLimit> limits;
    private final Broadcast broadcast;
    private String lastPartition;

    /**
     * How a broadcast queue fans out: who counts as live, and where its counts go.
     *
     * @param nodeTimeout a node silent for this long gets no delivery
     */
    record Broadcast(Duration nodeTimeout, BroadcastCounts counts) {
    }

    /** @param broadcast how the queue fans its jobs out, {@code null} for a queue that does not broadcast */
    ClaimSource(JobStore store, String queue, String node, Clock clock, boolean fair, List<KindLimit> limits,
            Broadcast broadcast) {
        this.store = store;
        this.queue = queue;
        this.node = node;
        this.clock = clock;
        this.fair = fair;
        this.limits = List.copyOf(limits);
        this.broadcast = broadcast;
    }

    boolean fair() {
        return fair;
    }

    /**
     * @param room how many jobs to claim at most
     * @param freeSlots the slots free now: limited jobs only go there, since in the prefetch they would count
     *        against their limit without running
     */
    Claim claim(int room, int freeSlots) throws SQLException {
        try {
            return claimOnce(room, freeSlots);
        } catch (SQLException e) {
            // a row whose attempt counter is at the integer maximum fails the claim's increment, and with it every
            // claim of the queue (nothing was claimed: the statement rolled back). Only then look for such rows
            if (!NUMBER_OUT_OF_RANGE.equals(e.getSQLState()) || store.discardUnclaimable(queue, clock.instant()) == 0) {
                throw e;
            }
            LOG.warnf("shigoto discarded jobs of queue %s whose attempt counter cannot grow", queue);
            return claimOnce(room, freeSlots);
        }
    }

    private Claim claimOnce(int room, int freeSlots) throws SQLException {
        if (broadcast != null) {
            return claimDeliveries(room);
        }
        int limitedRoom = limits.isEmpty() ? 0 : Math.max(0, freeSlots);
        Claim claim;
        if (limitedRoom > 0) {
            claim = store.claims().claimLimited(queue, room, node, clock.instant(), limitedRoom, limits, fair,
                    lastPartition);
        } else if (fair) {
            claim = new Claim(store.claims().claimFair(queue, room, node, clock.instant(), lastPartition), null);
        } else {
            claim = new Claim(store.claim(queue, room, node, clock.instant()), null);
        }
        if (fair) {
            for (ClaimedJob job : claim.jobs()) {
                if (job.partitionKey() != null) {
                    lastPartition = job.partitionKey();
                }
            }
        }
        return claim;
    }

    /**
     * Fans the queue's waiting jobs out (at most {@link #FAN_OUT_BATCH} per claim; the rest at the next), then
     * claims this node's deliveries, its newest ones included. Limits and circuit breakers do not apply: a limit the
     * cluster shares cannot hold back a job every node must perform.
     */
    private Claim claimDeliveries(int room) throws SQLException {
        Instant now = clock.instant();
        BroadcastStore.FanOut fanned = store.broadcasts().fanOut(queue, FAN_OUT_BATCH, now, broadcast.nodeTimeout(),
                node);
        broadcast.counts().fannedOut(queue, fanned.broadcasts(), fanned.deliveries());
        // a full fan-out may have left jobs behind: look again at once
        return new Claim(store.broadcasts().claim(queue, room, node, now),
                fanned.broadcasts() == FAN_OUT_BATCH ? now : null);
    }
}
