package io.quarkiverse.shigoto.runtime.cluster;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.quarkiverse.shigoto.runtime.store.ClusterStore;
import io.quarkiverse.shigoto.runtime.store.DashboardReads;
import io.quarkiverse.shigoto.runtime.store.JobStore;

/**
 * Jobs by queue and state across the cluster, read cheaply enough for a health probe or a periodic gauge: waiting
 * jobs are counted up to {@link DashboardReads#QUEUE_COUNT_CAP} per queue and state, executing ones come from the
 * live nodes' last heartbeats, so no read walks the whole table.
 *
 * @param counts by queue, by state name, every state of {@link #STATES}
 * @param capped the states whose count stopped at the cap in at least one queue (true counts are higher)
 */
public record QueueStates(Map<String, Map<String, Long>> counts, Set<String> capped) {

    /** The states counted per queue. */
    public static final List<String> STATES = List.of("available", "scheduled", "retryable", "executing");

    /**
     * @param queues queues to list even without jobs (those this node runs)
     * @param nodeTimeout how long after its last heartbeat a node counts as lost
     */
    public static QueueStates read(JobStore store, Collection<String> queues, Duration nodeTimeout)
            throws SQLException {
        DashboardReads.QueueCounts waiting = store.dashboard().queueCounts();
        Map<String, Integer> executing = ClusterStore.executing(store.cluster().nodes(nodeTimeout), nodeTimeout);
        Set<String> names = new TreeSet<>(queues);
        names.addAll(waiting.counts().keySet());
        names.addAll(executing.keySet());
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (String q : names) {
            Map<String, Long> byState = new LinkedHashMap<>();
            for (String state : STATES) {
                byState.put(state, state.equals("executing") ? executing.getOrDefault(q, 0) : waiting.of(q, state));
            }
            counts.put(q, byState);
        }
        return new QueueStates(counts, Set.copyOf(waiting.capped()));
    }
}
