package io.quarkiverse.shigoto.runtime.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongBiFunction;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkiverse.shigoto.CircuitBreakerView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeLifecycle;
import io.quarkiverse.shigoto.runtime.cluster.QueueStates;
import io.quarkiverse.shigoto.runtime.config.ConfiguredQueues;
import io.quarkiverse.shigoto.runtime.config.ShigotoConfig;
import io.quarkiverse.shigoto.runtime.queue.BroadcastCounts;
import io.quarkiverse.shigoto.runtime.queue.QueueProducer;
import io.quarkiverse.shigoto.runtime.queue.SheddingState;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The gauges: jobs by queue and state across the cluster and the circuit breakers' states, read from the database by a
 * timer of its own every {@code quarkus.shigoto.metrics.refresh-interval} (a scrape reads the last values, never the
 * database), and the attempts running on this node by queue, read from its producers. Registered by the build only when the
 * application
 * has Micrometer.
 */
@Singleton
public class StateGauges {

    private static final Logger LOG = Logger.getLogger(StateGauges.class);
    static final String STATE = "shigoto.jobs.state";
    static final String NODE_EXECUTING = "shigoto.node.executing";
    static final String BREAKER = "shigoto.circuit.breaker.state";
    static final String SHEDDING = "shigoto.queue.shedding";
    static final String SHED = "shigoto.jobs.shed";
    static final String REJECTED = "shigoto.jobs.rejected";
    static final String FANNED_OUT = "shigoto.broadcast.fanned.out";
    static final String DELIVERIES = "shigoto.broadcast.deliveries";
    static final String ABANDONED = "shigoto.broadcast.deliveries.abandoned";

    @Inject
    MeterRegistry registry;

    @Inject
    NodeLifecycle runtime;

    @Inject
    JobStore store;

    @Inject
    ConfiguredQueues queues;

    @Inject
    ShigotoConfig config;

    @Inject
    Shigoto shigoto;

    @Inject
    SheddingState shedding;

    private final Map<String, Map<String, AtomicLong>> states = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> breakers = new ConcurrentHashMap<>();
    private ScheduledExecutorService refresher;

    // after the runtime's own start, which migrates the tables the refresh reads
    void start(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) StartupEvent event) {
        for (String queue : queues.running().keySet()) {
            Gauge.builder(NODE_EXECUTING, () -> executingHere(queue)).description("Attempts running on this node")
                    .tag("queue", queue).register(registry);
            QueueStates.STATES.forEach(state -> gauge(queue, state));
        }
        for (String queue : queues.shedding().keySet()) {
            Gauge.builder(SHEDDING, () -> shedding.sheddingSince(queue) == null ? 0 : 1)
                    .description("Whether the queue sheds load now (1) or not (0)").tag("queue", queue)
                    .register(registry);
            FunctionCounter.builder(SHED, shedding, s -> s.deferredCount(queue))
                    .description("Jobs this node deferred while it led and the queue shed load").tag("queue", queue)
                    .register(registry);
            FunctionCounter.builder(REJECTED, shedding, s -> s.rejectedCount(queue))
                    .description("Inserts this node refused while the queue shed load").tag("queue", queue)
                    .register(registry);
        }
        for (String queue : queues.broadcast()) {
            FunctionCounter.builder(FANNED_OUT, this, g -> g.broadcastCount(queue, BroadcastCounts::fannedOut))
                    .description("Jobs of the broadcast queue this node fanned out to the live nodes")
                    .tag("queue", queue).register(registry);
            FunctionCounter.builder(DELIVERIES, this, g -> g.broadcastCount(queue, BroadcastCounts::deliveries))
                    .description("Deliveries this node wrote for the jobs it fanned out, one per live node")
                    .tag("queue", queue).register(registry);
            FunctionCounter.builder(ABANDONED, this, g -> g.broadcastCount(queue, BroadcastCounts::abandoned))
                    .description("Deliveries this node gave up while it led, because their node left the cluster")
                    .tag("queue", queue).register(registry);
        }
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shigoto-metrics");
            t.setDaemon(true);
            return t;
        });
        long every = config.metrics().refreshInterval().toMillis();
        refresher.scheduleWithFixedDelay(this::refresh, 0, Math.max(every, 100), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    /** Reads jobs by queue and state; a queue whose jobs are all gone reads 0. */
    void refresh() {
        try {
            QueueStates read = QueueStates.read(store, queues.running().keySet(), config.nodeTimeout());
            states.forEach((queue, byState) -> {
                if (!read.counts().containsKey(queue)) {
                    byState.values().forEach(v -> v.set(0));
                }
            });
            read.counts().forEach((queue, counts) -> counts.forEach((state, n) -> gauge(queue, state).set(n)));
        } catch (Exception e) {
            LOG.debugf(e, "shigoto could not read jobs by state for its gauges; keeping the last values");
        }
        try {
            for (CircuitBreakerView b : shigoto.circuitBreakers()) {
                breakers.computeIfAbsent(b.kind(), kind -> {
                    AtomicLong value = new AtomicLong();
                    Gauge.builder(BREAKER, value, AtomicLong::get)
                            .description("A kind's circuit breaker: 0 closed, 1 half-open, 2 open").tag("kind", kind)
                            .register(registry);
                    return value;
                }).set(switch (b.state()) {
                    case CLOSED -> 0;
                    case HALF_OPEN -> 1;
                    case OPEN -> 2;
                });
            }
        } catch (Exception e) {
            LOG.debugf(e, "shigoto could not read the circuit breakers for their gauges; keeping the last values");
        }
    }

    private AtomicLong gauge(String queue, String state) {
        return states.computeIfAbsent(queue, q -> new ConcurrentHashMap<>()).computeIfAbsent(state, s -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(STATE, value, AtomicLong::get).description("Jobs by queue and state, across the cluster")
                    .tag("queue", queue).tag("state", s).register(registry);
            return value;
        });
    }

    private double broadcastCount(String queue, ToLongBiFunction<BroadcastCounts, String> read) {
        Engine engine = runtime.engine();
        return engine == null ? 0 : read.applyAsLong(engine.broadcasts(), queue);
    }

    private int executingHere(String queue) {
        Engine engine = runtime.engine();
        QueueProducer producer = engine == null ? null : engine.producers().get(queue);
        return producer == null ? 0 : producer.running();
    }
}
