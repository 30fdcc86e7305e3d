package io.quarkiverse.shigoto.it.workers;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

import io.quarkiverse.shigoto.JobContext;

/**
 * What the sample workers saw, for tests to assert on: runs per job, the order of runs, the context of each run and
 * onDiscard calls.
 */
@Singleton
public class JobProbe {

    /** What a worker saw of its job. */
    public record Seen(long id, String kind, String queue, int priority, int attempt, int maxAttempts,
            List<String> tags, Map<String, Object> meta, Map<String, Object> args, String node, String thread,
            java.time.Instant insertedAt, java.time.Instant scheduledAt) {
    }

    private final Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    private final Map<Long, Seen> lastSeen = new ConcurrentHashMap<>();
    private final List<Long> order = new CopyOnWriteArrayList<>();
    private final Map<Long, AtomicInteger> discards = new ConcurrentHashMap<>();
    private final Map<Long, Integer> discardErrorCounts = new ConcurrentHashMap<>();
    private final Set<Long> interrupted = ConcurrentHashMap.newKeySet();
    private final Set<Long> cancellationsSeen = ConcurrentHashMap.newKeySet();
    private final Map<Long, CountDownLatch> releases = new ConcurrentHashMap<>();
    private final Map<Long, Map<Long, Object>> dependencyResults = new ConcurrentHashMap<>();

    public void ran(JobContext job, Map<String, Object> args) {
        runs.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet();
        order.add(job.id());
        lastSeen.put(job.id(), new Seen(job.id(), job.kind(), job.queue(), job.priority(), job.attempt(),
                job.maxAttempts(), job.tags(), job.meta(), args, job.node(), Thread.currentThread().getName(),
                job.insertedAt(), job.scheduledAt()));
    }

    private final List<Map<String, Object>> discardedArgs = new CopyOnWriteArrayList<>();

    /** An onDiscard saw these args (it runs without a job context, so without an id). */
    public void discardedWith(Map<String, Object> args) {
        discardedArgs.add(args);
    }

    /** @return every args map an onDiscard saw, in order */
    public List<Map<String, Object>> discardedArgs() {
        return List.copyOf(discardedArgs);
    }

    public void discarded(long id, int errors) {
        discards.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        discardErrorCounts.put(id, errors);
    }

    public void interrupted(long id) {
        interrupted.add(id);
    }

    /** Lets a {@link HoldingWorker} job finish (before or after it started). */
    public void release(long id) {
        latch(id).countDown();
    }

    /** Waits until the job is released; interruptible, bounded so a forgotten job cannot hang the test run. */
    void awaitRelease(long id) throws InterruptedException {
        latch(id).await(60, TimeUnit.SECONDS);
    }

    private CountDownLatch latch(long id) {
        return releases.computeIfAbsent(id, k -> new CountDownLatch(1));
    }

    void sawCancellation(long id) {
        cancellationsSeen.add(id);
    }

    public boolean sawCancellationOf(long id) {
        return cancellationsSeen.contains(id);
    }

    void dependencyResults(long id, Map<Long, Object> results) {
        dependencyResults.put(id, results);
    }

    /** @return what a dependent job read as its dependencies' results */
    public Map<Long, Object> dependencyResultsOf(long id) {
        return dependencyResults.get(id);
    }

    public boolean wasInterrupted(long id) {
        return interrupted.contains(id);
    }

    public int runs(long id) {
        AtomicInteger n = runs.get(id);
        return n == null ? 0 : n.get();
    }

    public Seen seen(long id) {
        return lastSeen.get(id);
    }

    /** @return the ids of all runs, in the order they started */
    public List<Long> order() {
        return List.copyOf(order);
    }

    public int discards(long id) {
        AtomicInteger n = discards.get(id);
        return n == null ? 0 : n.get();
    }

    public Integer discardErrorCount(long id) {
        return discardErrorCounts.get(id);
    }
}
