package io.quarkiverse.shigoto.runtime.queue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.ObserverMethod;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.CircuitBreakerClosed;
import io.quarkiverse.shigoto.CircuitBreakerEvent;
import io.quarkiverse.shigoto.CircuitBreakerOpened;
import io.quarkiverse.shigoto.JobCancelled;
import io.quarkiverse.shigoto.JobCompleted;
import io.quarkiverse.shigoto.JobDeleted;
import io.quarkiverse.shigoto.JobDiscarded;
import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobEvent;
import io.quarkiverse.shigoto.JobFailed;
import io.quarkiverse.shigoto.JobInserted;
import io.quarkiverse.shigoto.JobProgressed;
import io.quarkiverse.shigoto.JobRetried;
import io.quarkiverse.shigoto.JobSnoozed;
import io.quarkiverse.shigoto.JobStarted;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.QueueEvent;
import io.quarkiverse.shigoto.QueuePaused;
import io.quarkiverse.shigoto.QueueResumed;
import io.quarkiverse.shigoto.QueueScaled;
import io.quarkiverse.shigoto.QueueShedding;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.Completion;
import io.quarkiverse.shigoto.runtime.store.JobControls.Controlled;
import io.quarkiverse.shigoto.runtime.store.JobControls.Progress;

/**
 * Fires shigoto's CDI events, synchronous and asynchronous observers alike. Whether an event type has observers is
 * asked once, so an application without observers pays nothing per job. A failing observer is logged, never allowed
 * to break the engine.
 */
@Singleton
public class ShigotoEvents implements OutcomeListener, InsertListener {

    private static final Logger LOG = Logger.getLogger(ShigotoEvents.class);
    private static final int SYNC = 1, ASYNC = 2;

    private final Event<Object> events;
    private final BeanManager beans;
    private final Map<Class<?>, Integer> observed = new ConcurrentHashMap<>();
    private final boolean starts;
    private final boolean outcomes;
    private final boolean inserts;

    @Inject
    public ShigotoEvents(Event<Object> events, BeanManager beans) {
        this.events = events;
        this.beans = beans;
        Instant t = Instant.EPOCH;
        this.starts = observers(new JobStarted(0, "", "", 0, "")) != 0;
        this.outcomes = observers(new JobCompleted(0, "", "", 0, "")) != 0
                || observers(new JobFailed(0, "", "", 0, "", null, t)) != 0
                || observers(new JobSnoozed(0, "", "", 0, "", t, false)) != 0
                || observers(new JobDiscarded(0, "", "", 0, "", null)) != 0
                || observers(new JobCancelled(0, "", "", 0, "", "", false)) != 0;
        this.inserts = observers(new JobInserted(0, "", "", 0, "", JobState.AVAILABLE, t)) != 0;
    }

    /** @return which kinds of observers (sync, async) the event's type has, asked once per type */
    private int observers(Object sample) {
        return observed.computeIfAbsent(sample.getClass(), type -> {
            int kinds = 0;
            for (ObserverMethod<?> m : beans.resolveObserverMethods(sample)) {
                kinds |= m.isAsync() ? ASYNC : SYNC;
            }
            return kinds;
        });
    }

    @Override
    public boolean wantsStarts() {
        return starts;
    }

    @Override
    public boolean wantsOutcomes() {
        return outcomes;
    }

    @Override
    public void started(ClaimedJob job, String node) {
        fire(new JobStarted(job.id(), job.kind(), job.queue(), job.attempt(), node));
    }

    @Override
    public void stored(List<Stored> stored, String node) {
        for (Stored s : stored) {
            Object event = event(s.job(), s.completion(), node);
            if (event != null) {
                fire(event);
            }
        }
    }

    private static Object event(ClaimedJob j, Completion c, String node) {
        switch (c.state()) {
            case COMPLETED:
                return new JobCompleted(j.id(), j.kind(), j.queue(), j.attempt(), node);
            case RETRYABLE:
                return new JobFailed(j.id(), j.kind(), j.queue(), j.attempt(), node, c.error(), c.scheduledAt());
            case SCHEDULED:
                return new JobSnoozed(j.id(), j.kind(), j.queue(), j.attempt(), node, c.scheduledAt(), false);
            case DISCARDED:
                return new JobDiscarded(j.id(), j.kind(), j.queue(), j.attempt(), node, c.error());
            case CANCELLED:
                JobError e = c.error();
                return new JobCancelled(j.id(), j.kind(), j.queue(), j.attempt(), node, e == null ? null : e.message(),
                        false);
            default:
                return null;
        }
    }

    /** @return whether anything observes {@link JobInserted}: without, the clients leave this listener out */
    @Override
    public boolean listens() {
        return inserts;
    }

    @Override
    public void inserted(List<JobView> jobs) {
        // only committed inserts are announced
    }

    @Override
    public void committed(List<JobView> jobs, String node) {
        for (JobView j : jobs) {
            if (!j.conflict()) {
                fire(new JobInserted(j.id(), j.kind(), j.queue(), 0, node, j.state(), j.scheduledAt()));
            }
        }
    }

    /**
     * Announces jobs cancelled by request, once the cancel is committed.
     *
     * @param node the node that took the request
     */
    public void cancelled(List<Controlled> cancelled, String reason, String node) {
        if (observers(new JobCancelled(0, "", "", 0, "", "", true)) != 0) {
            for (Controlled c : cancelled) {
                fire(new JobCancelled(c.id(), c.kind(), c.queue(), c.attempt(), node, reason, true));
            }
        }
    }

    /** Announces jobs retried by request, once the retry is committed. */
    public void retried(List<Controlled> retried, String node) {
        if (observers(new JobRetried(0, "", "", 0, "", null, null)) != 0) {
            for (Controlled c : retried) {
                fire(new JobRetried(c.id(), c.kind(), c.queue(), c.attempt(), node, c.was(), c.state()));
            }
        }
    }

    /** Announces jobs deleted by request, once the delete is committed. */
    public void deleted(List<Controlled> deleted, String node) {
        if (observers(new JobDeleted(0, "", "", 0, "", null)) != 0) {
            for (Controlled c : deleted) {
                fire(new JobDeleted(c.id(), c.kind(), c.queue(), c.attempt(), node, c.was()));
            }
        }
    }

    /** Announces a job snoozed by request, once the snooze is committed. */
    public void snoozed(Controlled snoozed, Instant until, String node) {
        fire(new JobSnoozed(snoozed.id(), snoozed.kind(), snoozed.queue(), snoozed.attempt(), node, until, true));
    }

    /** Announces a queue paused or resumed by request, once the change is committed. */
    public void queuePaused(String queue, boolean paused, String node) {
        fire(paused ? new QueuePaused(queue, node) : new QueueResumed(queue, node));
    }

    /** Announces a queue scaled by request, once the change is committed. */
    public void queueScaled(String queue, int concurrency, String node) {
        fire(new QueueScaled(queue, node, concurrency));
    }

    /** Announces progress that running attempts of this node reported and that is now stored. */
    public void progressed(List<Progress> stored, String node) {
        for (Progress p : stored) {
            fire(new JobProgressed(p.id(), p.kind(), p.queue(), p.attempt(), node, p.percent()));
        }
    }

    /** Announces a circuit breaker opened or closed by the outcomes this node stored. */
    public void breakerChanged(String kind, boolean open, java.time.Instant reopensAt, int failures, int attempts,
            boolean fromTrial, String node) {
        fire(open ? new CircuitBreakerOpened(kind, node, reopensAt, failures, attempts, fromTrial)
                : new CircuitBreakerClosed(kind, node, false));
    }

    /** Announces a change of a queue's load shedding, decided by this node as leader. */
    public void shedding(String queue, boolean shedding, Integer shedBelow, java.time.Duration waited, String node) {
        fire(new QueueShedding(queue, node, shedding, shedBelow, waited));
    }

    /** Announces a circuit breaker closed by hand. */
    public void breakerReset(String kind, String node) {
        fire(new CircuitBreakerClosed(kind, node, true));
    }

    /** Announces one stored progress. */
    public void progressed(JobProgressed stored) {
        fire(stored);
    }

    private static String describe(Object event) {
        if (event instanceof JobEvent e) {
            return event.getClass().getSimpleName() + " of job " + e.id();
        }
        if (event instanceof CircuitBreakerEvent b) {
            return event.getClass().getSimpleName() + " of kind " + b.kind();
        }
        if (event instanceof QueueEvent q) {
            return event.getClass().getSimpleName() + " of queue " + q.queue();
        }
        return event.getClass().getSimpleName();
    }

    private void fire(Object event) {
        int kinds = observers(event);
        try {
            if ((kinds & SYNC) != 0) {
                events.fire(event);
            }
            if ((kinds & ASYNC) != 0) {
                events.fireAsync(event);
            }
        } catch (RuntimeException e) {
            // not the event itself: a failure's message may quote the job's args
            LOG.warnf(e, "an observer of %s failed", describe(event));
        }
    }
}
