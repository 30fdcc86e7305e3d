package io.quarkiverse.shigoto.runtime;

import java.sql.Connection;
import java.sql.SQLException;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.ShigotoException;
import io.quarkiverse.shigoto.runtime.cluster.ThisNode;
import io.quarkiverse.shigoto.runtime.config.BreakerSettings;
import io.quarkiverse.shigoto.runtime.config.ConfiguredQueues;
import io.quarkiverse.shigoto.runtime.config.SettingsCheck;
import io.quarkiverse.shigoto.runtime.config.ShigotoConfig;
import io.quarkiverse.shigoto.runtime.crypto.KeyRing;
import io.quarkiverse.shigoto.runtime.queue.SheddingState;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.store.Migrator;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The node's lifecycle: at application start it prepares the schema (migrates or verifies it, reconciles limit keys)
 * and starts this node's {@link Engine}; at shutdown it stops it. Health checks and metrics read the running engine
 * here; nothing else does (the client reaches it as a {@link ThisNode#engine() LocalNode}).
 */
@Singleton
@Unremovable
public class NodeLifecycle {

    private static final Logger LOG = Logger.getLogger(NodeLifecycle.class);

    private final ShigotoConfig config;
    private final JobStore store;
    private final WorkerCatalog catalog;
    private final ThisNode node;
    private final ConfiguredQueues queues;
    private final EngineFactory engines;
    private volatile Engine engine;

    /**
     * @param keys the encryption keys, made (and so checked) here, as the application starts: an invalid key or an
     *        encrypted worker without one fails the start
     */
    @Inject
    public NodeLifecycle(ShigotoConfig config, JobStore store, WorkerCatalog catalog, ThisNode node,
            ConfiguredQueues queues, EngineFactory engines, KeyRing keys, SheddingState shedding) {
        this.config = config;
        this.store = store;
        this.catalog = catalog;
        this.node = node;
        this.queues = queues;
        this.engines = engines;
        catalog.useKeys(keys);
        catalog.useBreakers(BreakerSettings.resolve(config.circuitBreakers(), catalog));
        catalog.useAdmission(shedding);
    }

    void onStart(@Observes StartupEvent event) {
        String testing = config.testing().problem(LaunchMode.current());
        if (testing != null) {
            throw new ShigotoException(testing);
        }
        prepareSchema();
        if (config.enabled()) {
            Engine built = engines.newEngine(engines.settings(node.id()));
            engine = built;
            node.running(built);
            warnUnusedQueues();
            built.start();
            if (config.testing().producersOff()) {
                LOG.infof("shigoto runs no producer (quarkus.shigoto.testing=%s): tests run the jobs",
                        config.testing().configValue());
            }
        } else {
            LOG.infof("shigoto node %s is insert-only (quarkus.shigoto.enabled=false)", node.id());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        Engine e = engine;
        if (e != null) {
            e.stop();
            engine = null;
            node.running(null);
        }
    }

    /** @return the id of this node */
    public String node() {
        return node.id();
    }

    /** @return the engine running on this node, or {@code null} (insert-only, stopped) */
    public Engine engine() {
        return engine;
    }

    /** Starts this node's engine with other settings, stopping the one running (see {@link NodeHarness}). */
    synchronized Engine restart(Engine.Settings settings) {
        Engine running = engine;
        if (running != null) {
            running.stop();
        }
        Engine started = engines.newEngine(settings);
        started.start();
        engine = started;
        node.running(started);
        return started;
    }

    /** Once per start: a configured queue nothing names is usually a misspelt one, idle forever. */
    private void warnUnusedQueues() {
        for (String q : SettingsCheck.unusedQueues(config.queues(), queues.named())) {
            LOG.warnf("quarkus.shigoto.queues.\"%s\" configures a queue that no @Job worker or cron entry of this"
                    + " application names: this node runs it, but only jobs inserted with JobRequest.queue(\"%s\")"
                    + " reach it. Check the spelling, or set its concurrency to 0 where it should not run", q, q);
        }
    }

    private void prepareSchema() {
        try (Connection c = store.dataSource().getConnection()) {
            if (config.migrateAtStart()) {
                Migrator.migrate(c, store.schema());
            } else {
                Migrator.verify(c, store.schema());
            }
            reconcileLimits();
        } catch (SQLException e) {
            throw new ShigotoException("shigoto could not prepare its tables in schema '" + store.schema() + "': "
                    + e.getMessage(), e);
        }
    }

    /**
     * Jobs inserted before their kind got a limit (or after it lost one) carry the wrong limit key: fix the waiting
     * ones, so limits hold from this start on and no job waits for a limited claim that never comes. It reads only the
     * indexes of waiting and limited jobs: for an application without limited kinds, an empty index.
     */
    private void reconcileLimits() throws SQLException {
        int changed = store.claims().reconcileLimits(catalog.limits());
        if (changed > 0) {
            LOG.infof("shigoto updated the limit key of %d waiting jobs to this application's rate and concurrency"
                    + " limits", changed);
        }
    }
}
