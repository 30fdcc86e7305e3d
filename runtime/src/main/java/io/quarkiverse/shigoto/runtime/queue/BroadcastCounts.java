package io.quarkiverse.shigoto.runtime.queue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What this node did for broadcast queues, by queue, for the metrics: the jobs it fanned out, the deliveries it wrote
 * for them, and (while it led) the deliveries it gave up because their node left the cluster.
 */
public final class BroadcastCounts {

    private final Map<String, LongAdder> fannedOut = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> deliveries = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> abandoned = new ConcurrentHashMap<>();

    void fannedOut(String queue, int broadcasts, int written) {
        if (broadcasts > 0) {
            fannedOut.computeIfAbsent(queue, q -> new LongAdder()).add(broadcasts);
            deliveries.computeIfAbsent(queue, q -> new LongAdder()).add(written);
        }
    }

    /** Counts deliveries given up because their node left. */
    public void abandoned(String queue, int count) {
        abandoned.computeIfAbsent(queue, q -> new LongAdder()).add(count);
    }

    public long fannedOut(String queue) {
        return read(fannedOut, queue);
    }

    public long deliveries(String queue) {
        return read(deliveries, queue);
    }

    public long abandoned(String queue) {
        return read(abandoned, queue);
    }

    private static long read(Map<String, LongAdder> counts, String queue) {
        LongAdder n = counts.get(queue);
        return n == null ? 0 : n.sum();
    }
}
