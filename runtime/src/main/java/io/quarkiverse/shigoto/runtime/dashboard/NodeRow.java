package io.quarkiverse.shigoto.runtime.dashboard;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import io.quarkiverse.shigoto.runtime.store.ClusterStore;

/**
 * A node as the overview shows it.
 *
 * @param id the node's id
 * @param host its host
 * @param started how long ago it started
 * @param heartbeat how long ago it last heartbeat
 * @param stale whether it missed its heartbeats (gone, or cut off from the database)
 * @param queues the queues it runs, each as "running/concurrency" at its last heartbeat
 */
public record NodeRow(String id, String host, String started, String heartbeat, boolean stale,
        Map<String, String> queues) {

    static NodeRow of(ClusterStore.NodeRow n, Instant now, boolean live) {
        Map<String, String> queues = new TreeMap<>();
        n.queues().keySet().forEach(q -> queues.put(q, n.running(q) + "/" + n.concurrency(q)));
        return new NodeRow(n.id(), n.host(), JobRow.relative(n.startedAt(), now),
                JobRow.relative(now.minus(n.silentFor()), now),
                !live, queues);
    }
}
