package io.quarkiverse.shigoto;

import java.time.Instant;
import java.util.Map;

/**
 * A queue as the cluster sees it, answered by {@link Shigoto#queues()}.
 *
 * @param name the queue
 * @param paused whether it is paused (persisted; no node claims its jobs)
 * @param concurrency the concurrency set by {@link Shigoto#scaleQueue}, which every node uses instead of its
 *        configured one, or {@code null} when none was set
 * @param nodes the live nodes running it, with the concurrency each runs it with
 * @param sheddingSince since when it sheds load (its lowest priorities are deferred), or {@code null} when it does
 *        not; see {@code docs/load-shedding.md}
 */
public record QueueView(String name, boolean paused, Integer concurrency, Map<String, Integer> nodes,
        Instant sheddingSince) {

    /** A queue that does not shed load. */
    public QueueView(String name, boolean paused, Integer concurrency, Map<String, Integer> nodes) {
        this(name, paused, concurrency, nodes, null);
    }

    /** @return whether it sheds load now */
    public boolean shedding() {
        return sheddingSince != null;
    }
}
