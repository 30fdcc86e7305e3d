package io.quarkiverse.shigoto.runtime.queue;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.runtime.config.ConfiguredQueues;
import io.quarkiverse.shigoto.runtime.config.ShigotoConfig;
import io.quarkiverse.shigoto.runtime.store.BreakerStore;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.Completion;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.worker.BreakerSpec;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.smallrye.common.annotation.Identifier;

/**
 * Feeds the stored outcomes of {@code @CircuitBreaker} kinds to their breakers: one statement per batch of outcomes
 * that holds any (kinds without a breaker cost a map lookup), on the callback thread, after the outcomes are stored.
 * The breakers themselves live in the database, where every node's claim reads them; this only reports what happened
 * and announces the changes it made. A failed write is logged and its outcomes are not counted: the breaker then
 * reacts a little later, never wrongly.
 */
@Singleton
public class CircuitBreakers implements OutcomeListener {

    private static final Logger LOG = Logger.getLogger(CircuitBreakers.class);

    private final WorkerCatalog catalog;
    private final Set<String> broadcastQueues;
    private final JobStore store;
    private final Clock clock;
    private final ShigotoEvents events;
    private final boolean any;

    /**
     * @param config read for whether any breaker is configured: this bean may be built before the configured
     *        breakers reach the catalog, and the listeners are chosen once
     */
    @Inject
    public CircuitBreakers(WorkerCatalog catalog, JobStore store, @Identifier("shigoto") Clock clock,
            ShigotoEvents events, ShigotoConfig config, ConfiguredQueues queues) {
        this.catalog = catalog;
        this.broadcastQueues = queues.broadcast();
        this.store = store;
        this.clock = clock;
        this.events = events;
        this.any = catalog.hasBreakers() || !config.circuitBreakers().isEmpty();
    }

    @Override
    public boolean wantsOutcomes() {
        return any;
    }

    @Override
    public void stored(List<Stored> outcomes, String node) {
        List<BreakerStore.Outcome> counted = null;
        for (Stored s : outcomes) {
            ClaimedJob job = s.job();
            BreakerSpec spec = catalog.breaker(job.kind());
            if (spec != null && broadcastQueues.contains(job.queue())) {
                // a broadcast queue's deliveries ignore breakers, so they do not trip them either
                spec = null;
            }
            Boolean failed = spec == null || job.attemptedAt() == null ? null : failed(s.completion());
            if (failed != null) {
                if (counted == null) {
                    counted = new ArrayList<>();
                }
                counted.add(new BreakerStore.Outcome(job.kind(), job.attemptedAt(), failed, spec.volume(),
                        spec.failureRatio(), spec.delayMillis(), spec.trials()));
            }
        }
        if (counted == null) {
            return;
        }
        try {
            for (BreakerStore.Change c : store.breakers().record(counted, clock.instant(), node)) {
                boolean open = c.state().equals("open");
                if (open) {
                    LOG.warnf("circuit breaker of job kind %s opened on node %s (%d failed of %d attempts): its jobs"
                            + " wait until %s", c.kind(), node, c.failures(), c.attempts(), c.reopensAt());
                } else {
                    LOG.infof("circuit breaker of job kind %s closed on node %s after %d successful trials", c.kind(),
                            node, c.attempts());
                }
                events.breakerChanged(c.kind(), open, c.reopensAt(), c.failures(), c.attempts(), c.fromTrial(), node);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("shigoto could not record %d outcomes for circuit breakers (they are not counted): %s",
                    counted.size(), e.getMessage());
        }
    }

    /**
     * @return whether the outcome counts as a failure, as a success, or {@code null} when it does not count: a
     *         snooze or a cancellation says nothing about the service the worker calls
     */
    static Boolean failed(Completion c) {
        JobState state = c.state();
        if (state == JobState.COMPLETED) {
            return Boolean.FALSE;
        }
        if ((state == JobState.RETRYABLE || state == JobState.DISCARDED) && c.errorJson() != null
                && !NOT_THE_SERVICE.matcher(c.errorJson()).find()) {
            return Boolean.TRUE;
        }
        return null;
    }

    /**
     * Failures that say nothing about the service the worker calls, because the worker never ran: a node without the
     * job's key (during a rotation, one such node would otherwise open the breaker for all), args it cannot read, a
     * worker bean that cannot be created.
     */
    private static final java.util.regex.Pattern NOT_THE_SERVICE = java.util.regex.Pattern
            .compile("\"type\":\"(encryption|invalid-args|invalid-row|start-failed)\"");
}
