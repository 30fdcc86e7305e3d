package io.quarkiverse.shigoto.runtime.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkiverse.shigoto.CircuitBreakerEvent;
import io.quarkiverse.shigoto.CircuitBreakerOpened;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.runtime.queue.InsertListener;
import io.quarkiverse.shigoto.runtime.queue.OutcomeListener;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;

/**
 * Counts inserted jobs and stored outcomes and times attempts, by queue and kind. The meters of a queue and kind are
 * built once, on their first job, so counting a job costs two map reads and no allocation. Registered by the build
 * only when the application has Micrometer; see {@code docs/metrics.md} for the list.
 */
@Singleton
public class JobMetrics implements OutcomeListener, InsertListener {

    static final String INSERTED = "shigoto.jobs.inserted";
    static final String EXECUTED = "shigoto.jobs.executed";
    static final String EXECUTION = "shigoto.job.execution";
    static final String WAIT = "shigoto.job.wait";
    static final String ENCRYPTION_FAILURES = "shigoto.encryption.failures";
    static final String BREAKER_CHANGES = "shigoto.circuit.breaker.changes";
    /** How an attempt that failed for want of a key (or a tampered value) records its error, compact JSON. */
    private static final String ENCRYPTION_ERROR = "\"type\":\"encryption\"";

    private final MeterRegistry registry;
    private final Map<String, Map<String, KindMeters>> meters = new ConcurrentHashMap<>();

    @Inject
    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The meters of one queue and kind; {@code outcomes} is indexed by the stored state's ordinal. */
    private record KindMeters(Counter inserted, Counter[] outcomes, Timer execution, Timer waiting) {
    }

    @Override
    public boolean wantsOutcomes() {
        return true;
    }

    @Override
    public void stored(List<Stored> stored, String node) {
        for (Stored s : stored) {
            ClaimedJob job = s.job();
            KindMeters m = meters(job.queue(), job.kind());
            Counter outcome = m.outcomes()[s.completion().state().ordinal()];
            if (outcome != null) {
                outcome.increment();
            }
            String error = s.completion().errorJson();
            if (error != null && error.contains(ENCRYPTION_ERROR)) {
                // rare: looked up when it happens, so kinds that never fail to decrypt show no such series
                Counter.builder(ENCRYPTION_FAILURES)
                        .description("Attempts that failed because the job's values could not be decrypted here")
                        .tags("queue", job.queue(), "kind", job.kind()).register(registry).increment();
            }
            if (s.runNanos() >= 0) {
                m.execution().record(s.runNanos(), TimeUnit.NANOSECONDS);
            }
            if (job.scheduledAt() != null && job.attemptedAt() != null) {
                m.waiting().record(Math.max(0, nanosBetween(job.scheduledAt(), job.attemptedAt())), TimeUnit.NANOSECONDS);
            }
        }
    }

    @Override
    public void inserted(List<JobView> jobs) {
        for (JobView job : jobs) {
            if (!job.conflict()) {
                meters(job.queue(), job.kind()).inserted().increment();
            }
        }
    }

    /** Counts the changes of circuit breakers this node made (each change is made, and fired, by one node). */
    void breakerChanged(@Observes CircuitBreakerEvent event) {
        String to = event instanceof CircuitBreakerOpened ? "open" : "closed";
        Counter.builder(BREAKER_CHANGES).description("Changes of circuit breakers made by this node, by new state")
                .tags("kind", event.kind(), "state", to).register(registry).increment();
    }

    private KindMeters meters(String queue, String kind) {
        Map<String, KindMeters> byKind = meters.get(queue);
        if (byKind == null) {
            byKind = meters.computeIfAbsent(queue, q -> new ConcurrentHashMap<>());
        }
        KindMeters m = byKind.get(kind);
        return m != null ? m : byKind.computeIfAbsent(kind, k -> create(queue, k));
    }

    private KindMeters create(String queue, String kind) {
        Tags tags = Tags.of("queue", queue, "kind", kind);
        Counter[] outcomes = new Counter[JobState.values().length];
        outcomes[JobState.COMPLETED.ordinal()] = executed(tags, "completed");
        outcomes[JobState.RETRYABLE.ordinal()] = executed(tags, "failed");
        outcomes[JobState.DISCARDED.ordinal()] = executed(tags, "discarded");
        outcomes[JobState.CANCELLED.ordinal()] = executed(tags, "cancelled");
        outcomes[JobState.SCHEDULED.ordinal()] = executed(tags, "snoozed");
        return new KindMeters(
                Counter.builder(INSERTED).description("Jobs stored by the clients").tags(tags).register(registry),
                outcomes,
                Timer.builder(EXECUTION).description("How long attempts ran, from the worker's start to its outcome")
                        .tags(tags).register(registry),
                Timer.builder(WAIT).description("How long jobs waited after falling due until an attempt claimed them")
                        .tags(tags).register(registry));
    }

    private Counter executed(Tags tags, String outcome) {
        return Counter.builder(EXECUTED).description("Attempts whose outcome was stored, by outcome").tags(tags)
                .tag("outcome", outcome).register(registry);
    }

    private static long nanosBetween(Instant from, Instant to) {
        return (to.getEpochSecond() - from.getEpochSecond()) * 1_000_000_000L + (to.getNano() - from.getNano());
    }
}
