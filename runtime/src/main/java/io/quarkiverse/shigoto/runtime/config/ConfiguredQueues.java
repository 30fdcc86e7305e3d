package io.quarkiverse.shigoto.runtime.config;

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
 */
public record ConfiguredQueues(Map<String, Integer> running, Set<String> named, Set<String> fair) {

    public ConfiguredQueues {
        running = Collections.unmodifiableMap(new TreeMap<>(running));
        named = Collections.unmodifiableSet(new TreeSet<>(named));
        fair = Collections.unmodifiableSet(new TreeSet<>(fair));
    }
}
