package io.quarkiverse.shigoto.it.workers;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

/**
 * What the fair and limited sample workers saw: which jobs started in which order and when, and how many jobs of a
 * kind ran at once at most (across every engine of this JVM).
 */
@Singleton
public class LimitProbe {

    /** One start of an attempt. */
    public record Start(long id, String partitionKey, long nanos) {
    }

    private final List<Start> starts = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxRunning = new ConcurrentHashMap<>();

    public void started(String kind, long id, String partitionKey) {
        starts.add(new Start(id, partitionKey, System.nanoTime()));
        int now = running.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        maxRunning.computeIfAbsent(kind, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    }

    public void finished(String kind) {
        running.get(kind).decrementAndGet();
    }

    /** @return every start so far, in order */
    public List<Start> starts() {
        return List.copyOf(starts);
    }

    /** @return the most jobs of a kind that ran at once */
    public int maxRunning(String kind) {
        AtomicInteger n = maxRunning.get(kind);
        return n == null ? 0 : n.get();
    }
}
