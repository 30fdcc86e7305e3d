package io.quarkiverse.shigoto.it.middleware;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Singleton;

import io.quarkiverse.shigoto.JobContext;

/**
 * What the middleware of the test app saw, per job: the steps of the chain in the order they ran. Only the probe kinds
 * below are traced, so the global middleware leave every other test's jobs alone.
 */
@Singleton
public class MiddlewareProbe {

    /** The blocking worker under test. */
    public static final String KIND = "middleware-probe";
    /** The reactive worker under test. */
    public static final String REACTIVE_KIND = "reactive-middleware-probe";

    private final Map<Long, List<String>> steps = new ConcurrentHashMap<>();

    /** @return whether the middleware of the test app act on this job */
    public static boolean traced(JobContext job) {
        return KIND.equals(job.kind()) || REACTIVE_KIND.equals(job.kind());
    }

    /** @return whether the job's meta asks for a behaviour ({@code maintenance}, {@code explode}, {@code twice}) */
    public static boolean asks(JobContext job, String what) {
        return Boolean.TRUE.equals(job.meta().get(what));
    }

    public void step(long id, String step) {
        steps.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(step);
    }

    public List<String> steps(long id) {
        List<String> s = steps.get(id);
        return s == null ? List.of() : List.copyOf(s);
    }
}
