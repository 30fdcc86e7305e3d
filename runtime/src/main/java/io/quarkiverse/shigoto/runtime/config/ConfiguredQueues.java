package io.quarkiverse.shigoto.runtime.config;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The queues of this application, resolved once at start from its workers, cron entries and configuration; each in
 * name order.
 *
 * @param running the queues this node runs, with their configured concurrency (0: configured, not run here): those
 *        of known workers and every configured one
 * @param named the queues this application's workers and cron entries name, whether or not this node runs them
 * @param fair the queues configured fair
 * @param shedding the queues that shed load, with how
 * @param broadcast the queues configured to broadcast
 */
public record ConfiguredQueues(Map<String, Integer> running, Set<String> named, Set<String> fair,
        Map<String, Shedding> shedding, Set<String> broadcast) {

    /**
     * How a queue sheds load ({@code quarkus.shigoto.queues."q".shedding.*}).
     *
     * @param target the longest acceptable wait of its oldest claimable job
     * @param interval how long the wait stays above the target before it sheds, and between two steps
     * @param defer how long a shed job is deferred
     * @param rejectBelowPriority while it sheds, inserts below this priority are refused; {@code null} for never
     */
    public record Shedding(Duration target, Duration interval, Duration defer, Integer rejectBelowPriority) {
    }

    public ConfiguredQueues {
        running = Collections.unmodifiableMap(new TreeMap<>(running));
        named = Collections.unmodifiableSet(new TreeSet<>(named));
        fair = Collections.unmodifiableSet(new TreeSet<>(fair));
        shedding = Collections.unmodifiableMap(new TreeMap<>(shedding));
        broadcast = Collections.unmodifiableSet(new TreeSet<>(broadcast));
    }
}
