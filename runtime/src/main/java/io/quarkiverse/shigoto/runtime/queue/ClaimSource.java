package io.quarkiverse.shigoto.runtime.queue;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.runtime.store.Claim;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.store.KindLimit;

/**
 * How one queue claims: plainly, round-robin across partition keys (a fair queue, remembering the partition served
 * last), or limited kinds first within their limits. The producer decides when and how many; this decides which.
 * Used by the producer's thread only.
 */
final class ClaimSource {

    private static final Logger LOG = Logger.getLogger(ClaimSource.class);
    private static final String NUMBER_OUT_OF_RANGE = "22003";

    private final JobStore store;
    private final String queue;
    private final String node;
    private final Clock clock;
    private final boolean fair;
    private final List<KindLimit> limits;
    private String lastPartition;

    ClaimSource(JobStore store, String queue, String node, Clock clock, boolean fair, List<KindLimit> limits) {
        this.store = store;
        this.queue = queue;
        this.node = node;
        this.clock = clock;
        this.fair = fair;
        this.limits = List.copyOf(limits);
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
}
