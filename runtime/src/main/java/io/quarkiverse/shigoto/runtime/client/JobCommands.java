package io.quarkiverse.shigoto.runtime.client;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobProgressed;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.JobWorker;
import io.quarkiverse.shigoto.ShigotoException;
import io.quarkiverse.shigoto.runtime.cluster.LocalNode;
import io.quarkiverse.shigoto.runtime.cluster.NodeSignals;
import io.quarkiverse.shigoto.runtime.cluster.ThisNode;
import io.quarkiverse.shigoto.runtime.queue.ShigotoEvents;
import io.quarkiverse.shigoto.runtime.store.JobControls.Changed;
import io.quarkiverse.shigoto.runtime.store.JobControls.Controlled;
import io.quarkiverse.shigoto.runtime.store.JobSelection;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;

/**
 * The control half of the blocking client for jobs: bulk and single-job actions, progress and dependencies (queue
 * controls are in {@link QueueCommands}).
 * Each action is followed by what it implies elsewhere: cancelled executing jobs are interrupted on their nodes,
 * released dependents and retried jobs wake their queues on every node.
 */
final class JobCommands {

    private static final int MAX_PAGE = 10_000;

    private final JobStore store;
    private final WorkerCatalog catalog;
    private final Clock clock;
    private final NodeSignals signals;
    private final ThisNode node;
    private final ShigotoEvents events;
    private final AfterCommit afterCommit;

    JobCommands(JobStore store, WorkerCatalog catalog, Clock clock, NodeSignals signals, ThisNode node,
            ShigotoEvents events, AfterCommit afterCommit) {
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
        this.signals = signals;
        this.node = node;
        this.events = events;
        this.afterCommit = afterCommit;
    }

    List<JobView> jobs(JobFilter filter, long afterId, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidJobException("limit must be between 1 and " + MAX_PAGE + ", was " + limit);
        }
        return call("list jobs", () -> store.controls().jobs(selection(filter), afterId, limit));
    }

    int cancel(JobSelection selection, String reason) {
        return call("cancel jobs", () -> {
            Instant now = clock.instant();
            List<Controlled> cancelled = store.controls().cancel(selection, now, reason);
            signals.interrupt(cancelled.stream().filter(c -> c.was() == JobState.EXECUTING)
                    .mapToLong(Controlled::id).toArray());
            released(store.dependencies().resolveDependents(ids(cancelled), now));
            if (!cancelled.isEmpty()) {
                afterCommit.run(() -> events.cancelled(cancelled, reason, node.id()));
            }
            return cancelled.size();
        });
    }

    int retry(JobSelection selection) {
        return call("retry jobs", () -> {
            Instant now = clock.instant();
            List<Controlled> retried = store.controls().retry(selection, now);
            wake(retried.stream().filter(c -> c.state() == JobState.AVAILABLE).map(Controlled::queue).toList(),
                    false);
            long[] pending = retried.stream().filter(c -> c.state() == JobState.PENDING).mapToLong(Controlled::id)
                    .toArray();
            if (pending.length > 0) {
                // a retried dependent waits for its dependencies again; decide it now in case they are done
                released(store.dependencies().resolveJobs(pending, now));
            }
            if (!retried.isEmpty()) {
                afterCommit.run(() -> events.retried(retried, node.id()));
            }
            return retried.size();
        });
    }

    boolean snooze(long id, Duration delay) {
        if (delay == null) {
            throw new InvalidJobException("snooze delay must not be null");
        }
        try {
            // the same range as a worker's snooze (JobResult.MAX_SNOOZE), checked by the same rule
            JobResult.snooze(delay);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobException(e.getMessage(), e);
        }
        Instant now = clock.instant();
        Instant until = now.plus(delay);
        return call("snooze job " + id, () -> {
            Controlled snoozed = store.controls().snooze(id, until);
            if (snoozed == null) {
                return false;
            }
            LocalNode engine = node.engine();
            if (engine != null) {
                engine.dueAt(until);
            }
            afterCommit.run(() -> events.snoozed(snoozed, until, node.id()));
            return true;
        });
    }

    int delete(JobSelection selection) {
        return call("delete jobs", () -> {
            List<Controlled> deleted = store.controls().delete(selection);
            long[] completed = deleted.stream().filter(c -> c.was() == JobState.COMPLETED)
                    .mapToLong(Controlled::id).toArray();
            if (completed.length > 0) {
                store.dependencies().forgetCompleted(completed);
            }
            released(store.dependencies().resolveDependents(ids(deleted), clock.instant()));
            if (!deleted.isEmpty()) {
                afterCommit.run(() -> events.deleted(deleted, node.id()));
            }
            return deleted.size();
        });
    }

    boolean reportProgress(long id, int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("progress must be between 0 and 100, was " + percent);
        }
        return call("store the progress of job " + id, () -> {
            JobProgressed stored = store.controls().progress(id, percent);
            if (stored != null) {
                events.progressed(stored);
            }
            return stored != null;
        });
    }

    List<JobView> dependencies(long id) {
        return call("read the dependencies of job " + id, () -> store.dependencies().dependencies(id));
    }

    List<JobView> dependents(long id) {
        return call("read the dependents of job " + id, () -> store.dependencies().dependents(id));
    }

    /** Resolves a public filter: worker classes to kinds, args to JSON. */
    JobSelection selection(JobFilter filter) {
        if (filter == null) {
            throw new InvalidJobException("filter must not be null (use JobFilter.all())");
        }
        if (filter.matchesNothing()) {
            // an empty list of kinds, workers, queues or states
            return JobSelection.none();
        }
        Set<String> kinds = new LinkedHashSet<>(filter.kinds());
        for (Class<? extends JobWorker> w : filter.workers()) {
            kinds.add(catalog.requireClass(w).kind());
        }
        List<String> states = new ArrayList<>();
        filter.states().forEach(s -> states.add(s.dbName()));
        String args = null;
        if (filter.args() != null) {
            List<String> encrypted = new ArrayList<>();
            for (String kind : kinds) {
                catalog.byKind(kind).filter(w -> w.encrypted()).ifPresent(w -> encrypted.add(kind));
            }
            if (!encrypted.isEmpty()) {
                throw new InvalidJobException("jobs of kind(s) " + encrypted + " store their args encrypted, so a"
                        + " filter cannot match their args' content; filter them by kind, queue, tags or state");
            }
            try {
                args = JsonCodec.writeValue(filter.args(), "filter args");
            } catch (IllegalArgumentException e) {
                throw new InvalidJobException(e.getMessage(), e);
            }
        }
        return new JobSelection(null, List.copyOf(kinds), List.copyOf(filter.queues()), states, filter.tags(), args,
                filter.partitionKey(), filter.batch());
    }

    /** Wakes the queues of jobs a dependency resolution made available, on every node. */
    private void released(List<Changed> changed) throws SQLException {
        List<String> queues = new ArrayList<>();
        boolean scheduled = false;
        for (Changed c : changed) {
            if (c.state() == JobState.AVAILABLE) {
                queues.add(c.queue());
            } else if (c.state() == JobState.SCHEDULED) {
                scheduled = true;
            }
        }
        wake(queues, scheduled);
    }

    /**
     * Wakes the queues of jobs that became available, on every node.
     *
     * @param scheduled whether some job became due later: this node's stager looks again
     */
    private void wake(List<String> available, boolean scheduled) throws SQLException {
        LocalNode engine = node.engine();
        if (scheduled && engine != null) {
            engine.dueAt(clock.instant());
        }
        signals.wake(new LinkedHashSet<>(available));
    }

    private static long[] ids(List<Controlled> changed) {
        return changed.stream().mapToLong(Controlled::id).toArray();
    }

    /** One action on the database. */
    @FunctionalInterface
    interface Action<T> {
        T run() throws SQLException;
    }

    /** Runs an action, turning a database failure into a {@link ShigotoException} that says what failed. */
    static <T> T call(String what, Action<T> action) {
        try {
            return action.run();
        } catch (SQLException e) {
            throw new ShigotoException("shigoto could not " + what + ": " + e.getMessage(), e);
        }
    }
}
