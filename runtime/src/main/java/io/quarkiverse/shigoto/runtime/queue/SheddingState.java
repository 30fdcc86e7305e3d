package io.quarkiverse.shigoto.runtime.queue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.shigoto.QueueOverloadedException;
import io.quarkiverse.shigoto.runtime.config.ConfiguredQueues;
import io.quarkiverse.shigoto.runtime.store.ClusterStore.QueueControl;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;

/**
 * What this node knows of load shedding: which queues shed now (from the persisted queue controls, refreshed with
 * them: on every control message and heartbeat), the inserts it refuses meanwhile, and how many jobs were shed and
 * refused, for the metrics. The leader's {@code LoadShedder} decides; this only follows.
 */
@Singleton
public class SheddingState implements WorkerCatalog.Admission {

    /** How old the state may get before an insert that could be refused reads it afresh (a node without an engine). */
    private static final long STALE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

    private final ConfiguredQueues queues;
    private final JobStore store;
    private volatile Map<String, Instant> shedding = Map.of();
    private volatile long appliedNanos = System.nanoTime() - STALE_NANOS;
    private final Map<String, AtomicLong> deferred = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> rejected = new ConcurrentHashMap<>();

    @Inject
    public SheddingState(ConfiguredQueues queues, JobStore store) {
        this.queues = queues;
        this.store = store;
    }

    /** Follows the persisted controls. */
    public void apply(List<QueueControl> controls) {
        Map<String, Instant> now = new HashMap<>();
        for (QueueControl c : controls) {
            if (c.sheddingSince() != null) {
                now.put(c.name(), c.sheddingSince());
            }
        }
        shedding = Map.copyOf(now);
        appliedNanos = System.nanoTime();
    }

    /** @return since when the queue sheds, or {@code null} */
    public Instant sheddingSince(String queue) {
        return shedding.get(queue);
    }

    /**
     * Refuses a job the queue does not take while it sheds.
     *
     * @throws QueueOverloadedException when the queue sheds and the priority is below its floor
     */
    @Override
    public void admit(String queue, int priority) {
        ConfiguredQueues.Shedding s = queues.shedding().get(queue);
        if (s == null || s.rejectBelowPriority() == null || priority >= s.rejectBelowPriority()) {
            return;
        }
        if (System.nanoTime() - appliedNanos > STALE_NANOS) {
            // no engine keeps the state current here (an insert-only node), or it fell behind: read it, at most
            // every few seconds
            refresh();
        }
        if (shedding.containsKey(queue)) {
            rejected.computeIfAbsent(queue, q -> new AtomicLong()).incrementAndGet();
            throw new QueueOverloadedException(queue, priority, s.rejectBelowPriority());
        }
    }

    private void refresh() {
        try {
            apply(store.cluster().queueControls());
        } catch (java.sql.SQLException e) {
            // keep the last state; the next insert that could be refused tries again after the same wait
            appliedNanos = System.nanoTime();
        }
    }

    /** Counts jobs this node's leader deferred. */
    public void deferred(String queue, int jobs) {
        deferred.computeIfAbsent(queue, q -> new AtomicLong()).addAndGet(jobs);
    }

    /** @return the jobs of the queue deferred by this node (as leader) since it started */
    public long deferredCount(String queue) {
        AtomicLong n = deferred.get(queue);
        return n == null ? 0 : n.get();
    }

    /** @return the inserts into the queue this node refused since it started */
    public long rejectedCount(String queue) {
        AtomicLong n = rejected.get(queue);
        return n == null ? 0 : n.get();
    }
}
