package io.quarkiverse.shigoto;

import java.util.Map;

/**
 * A queue as the cluster sees it, answered by {@link Shigoto#queues()}.
 *
 * @param name the queue
 * @param paused whether it is paused (persisted; no node claims its jobs)
 * @param concurrency the concurrency set by {@link Shigoto#scaleQueue}, which every node uses instead of its
 *        configured one, or {@code null} when none was set
 * @param nodes the live nodes running it, with the concurrency each runs it with
 */
public record QueueView(String name, boolean paused, Integer concurrency, Map<String, Integer> nodes) {
}
