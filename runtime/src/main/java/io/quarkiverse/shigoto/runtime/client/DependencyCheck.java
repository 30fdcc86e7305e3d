package io.quarkiverse.shigoto.runtime.client;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.runtime.store.NewJob;

/**
 * Decides the initial state of jobs with dependencies from the states of those dependencies, read before the insert:
 * a job whose dependencies all completed starts as if it had none; any other starts {@code pending}. A dependency
 * that already failed leaves the job pending too, and the writer resolves it right after the insert (cancelled,
 * naming the dependency, unless it runs anyway), through the same statement that resolves every other dependent.
 */
final class DependencyCheck {

    /** Reads the states of jobs that exist. */
    @FunctionalInterface
    interface Lookup {
        Map<Long, JobState> states(long[] ids) throws SQLException;
    }

    private final List<NewJob> jobs;
    private final long[] failedParents;

    private DependencyCheck(List<NewJob> jobs, long[] failedParents) {
        this.jobs = jobs;
        this.failedParents = failedParents;
    }

    static DependencyCheck of(List<NewJob> resolved, Lookup lookup) throws SQLException {
        long[] parents = parentIds(resolved);
        if (parents.length == 0) {
            return new DependencyCheck(resolved, new long[0]);
        }
        return apply(resolved, lookup.states(parents));
    }

    /** @return every dependency of the batch, once each */
    static long[] parentIds(List<NewJob> jobs) {
        Set<Long> ids = new LinkedHashSet<>();
        for (NewJob j : jobs) {
            for (long id : j.dependsOn()) {
                ids.add(id);
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * @param states the states of the dependencies that exist
     * @throws io.quarkiverse.shigoto.InvalidJobException naming the dependencies that do not exist
     */
    static DependencyCheck apply(List<NewJob> resolved, Map<Long, JobState> states) {
        Set<Long> missing = new LinkedHashSet<>();
        Set<Long> failed = new LinkedHashSet<>();
        List<NewJob> jobs = new ArrayList<>(resolved.size());
        for (NewJob j : resolved) {
            boolean waits = false;
            for (long id : j.dependsOn()) {
                JobState s = states.get(id);
                if (s == null) {
                    missing.add(id);
                } else if (s == JobState.DISCARDED || s == JobState.CANCELLED) {
                    if (j.holdOnDependencyFailure()) {
                        waits = true;
                    } else if (!j.runOnDependencyFailure()) {
                        failed.add(id);
                        waits = true;
                    }
                } else if (s != JobState.COMPLETED) {
                    waits = true;
                }
            }
            jobs.add(waits ? j.withState(JobState.PENDING) : j);
        }
        if (!missing.isEmpty()) {
            throw new InvalidJobException("dependsOn names job(s) that do not exist: " + new TreeSet<>(missing));
        }
        return new DependencyCheck(jobs, failed.stream().mapToLong(Long::longValue).toArray());
    }

    /** @return the jobs with their initial states */
    List<NewJob> jobs() {
        return jobs;
    }

    /** @return whether a dependency had already failed */
    boolean anyFailed() {
        return failedParents.length > 0;
    }

    /** @return the dependencies that had already failed, to resolve their new dependents after the insert */
    long[] failedParents() {
        return failedParents;
    }
}
