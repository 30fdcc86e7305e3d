package io.quarkiverse.shigoto.runtime;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.shigoto.ShigotoException;
import io.quarkiverse.shigoto.runtime.cluster.InsertNotifier;
import io.quarkiverse.shigoto.runtime.cluster.Leadership;
import io.quarkiverse.shigoto.runtime.cluster.NodeRegistry;
import io.quarkiverse.shigoto.runtime.cluster.ThisNode;
import io.quarkiverse.shigoto.runtime.config.ConfiguredQueues;
import io.quarkiverse.shigoto.runtime.config.SettingsCheck;
import io.quarkiverse.shigoto.runtime.config.ShigotoConfig;
import io.quarkiverse.shigoto.runtime.maintenance.CronEntries;
import io.quarkiverse.shigoto.runtime.maintenance.Pruner;
import io.quarkiverse.shigoto.runtime.maintenance.Rescuer;
import io.quarkiverse.shigoto.runtime.queue.InsertListener;
import io.quarkiverse.shigoto.runtime.queue.OutcomeListener;
import io.quarkiverse.shigoto.runtime.queue.OutcomeListeners;
import io.quarkiverse.shigoto.runtime.queue.SheddingState;
import io.quarkiverse.shigoto.runtime.queue.ShigotoEvents;
import io.quarkiverse.shigoto.runtime.queue.Tracing;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;

/**
 * Builds engines on this application's workers: the node's own from its validated configuration, and (for tests)
 * further ones under other node ids or on other stores, so one JVM can run several nodes.
 */
@Singleton
public class EngineFactory {

    private final ShigotoConfig config;
    private final WorkerCatalog catalog;
    private final Clock clock;
    private final Vertx vertx;
    private final JobStore store;
    private final ThisNode node;
    private final ScheduledExecutorService timer;
    private final InsertNotifier insertNotifier;
    private final ShigotoEvents events;
    private final OutcomeListener outcomes;
    private final InsertListener inserts;
    private final CronEntries cron;
    private final ConfiguredQueues queues;
    private final Tracing tracing;
    private final SheddingState shedding;

    /**
     * @param outcomes every bean that hears about attempts and their outcomes: the lifecycle events, and the metrics
     *        when the application has them
     * @param inserts every bean that hears about inserted jobs (the metrics), told of the jobs cron runs insert
     */
    @Inject
    public EngineFactory(ShigotoConfig config, WorkerCatalog catalog, @Identifier("shigoto") Clock clock, Vertx vertx,
            JobStore store, ThisNode node, @Identifier("shigoto") ScheduledExecutorService timer,
            InsertNotifier insertNotifier, ShigotoEvents events, @Any Instance<OutcomeListener> outcomes,
            @Any Instance<InsertListener> inserts, CronEntries cron, ConfiguredQueues queues, Tracing tracing,
            SheddingState shedding) {
        this.shedding = shedding;
        this.tracing = tracing;
        this.config = config;
        this.catalog = catalog;
        this.clock = clock;
        this.vertx = vertx;
        this.store = store;
        this.node = node;
        this.timer = timer;
        this.insertNotifier = insertNotifier;
        this.events = events;
        this.outcomes = OutcomeListeners.of(outcomes.stream().toList());
        this.inserts = InsertListener.of(inserts.stream().toList());
        this.cron = cron;
        this.queues = queues;
    }

    /** Builds an engine with the given settings on this application's store. */
    public Engine newEngine(Engine.Settings settings) {
        return newEngine(settings, store);
    }

    /**
     * Builds an engine on another store (another schema of the same database), with this application's workers.
     * Tests use it to run a cluster of their own, apart from this application's node.
     */
    public Engine newEngine(Engine.Settings settings, JobStore store) {
        // an engine on another store is a cluster of its own: it neither sheds this application's queues nor follows
        boolean own = store == this.store;
        Engine built = new Engine(settings, store, catalog, clock, timer, vertx, node.host(), events, outcomes, inserts,
                tracing, own ? queues.shedding() : Map.of(), own ? shedding : null);
        built.producers().values().forEach(p -> p.announceWith(insertNotifier::announce));
        return built;
    }

    /**
     * @return the configured engine settings under a node id
     * @throws ShigotoException listing every invalid setting, each naming its property
     */
    public Engine.Settings settings(String nodeId) {
        Map<String, Integer> running = queues.running();
        if (config.testing().producersOff()) {
            // manual and inline testing: the queues are known (and shown at 0), but only a test or an insert runs jobs
            Map<String, Integer> off = new TreeMap<>();
            running.keySet().forEach(q -> off.put(q, 0));
            running = off;
        }
        return new Engine.Settings(nodeId, running, config.pollInterval(), config.stageInterval(),
                config.shutdownTimeout(), config.completerBatchSize(), queues.fair(), queues.broadcast(), maintenance(),
                cron.all());
    }

    /** @return the configured heartbeat, leadership, rescue and pruning, checked */
    private Engine.Maintenance maintenance() {
        List<String> problems = new ArrayList<>(SettingsCheck.problems(config));
        problems.addAll(NodeRegistry.problems(config.heartbeatInterval(), config.nodeTimeout()));
        problems.addAll(Leadership.problems(config.leaderLease()));
        problems.addAll(Rescuer.problems(config.rescueInterval()));
        problems.addAll(Pruner.problems(config.prune()));
        if (!problems.isEmpty()) {
            throw new ShigotoException("invalid shigoto configuration:\n  - " + String.join("\n  - ", problems));
        }
        ShigotoConfig.PruneConfig prune = config.prune();
        return new Engine.Maintenance(config.heartbeatInterval(), config.nodeTimeout(), config.leaderLease(),
                config.rescueInterval(), Pruner.settings(prune), prune.interval());
    }
}
