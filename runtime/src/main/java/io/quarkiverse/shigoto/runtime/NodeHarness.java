package io.quarkiverse.shigoto.runtime;

import java.time.Clock;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.shigoto.runtime.maintenance.CronEntries;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;

/**
 * The one entry point for this project's own tests and benchmarks into a running node: build more engines on the
 * application's store (several nodes in one JVM), restart the node's engine with other settings (start working only
 * once the jobs are in), and reach the parts those tests assert on. Not an API for applications: production code
 * injects what it uses instead.
 */
@Singleton
@Unremovable
public class NodeHarness {

    private final NodeLifecycle lifecycle;
    private final EngineFactory engines;
    private final JobStore store;
    private final WorkerCatalog catalog;
    private final Clock clock;
    private final CronEntries cron;

    @Inject
    public NodeHarness(NodeLifecycle lifecycle, EngineFactory engines, JobStore store, WorkerCatalog catalog,
            @Identifier("shigoto") Clock clock, CronEntries cron) {
        this.lifecycle = lifecycle;
        this.engines = engines;
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
        this.cron = cron;
    }

    /** @return the configured engine settings under a node id */
    public Engine.Settings settings(String nodeId) {
        return engines.settings(nodeId);
    }

    /** Builds another engine on this application's store and workers, under another node id. */
    public Engine newEngine(String nodeId) {
        return engines.newEngine(engines.settings(nodeId));
    }

    /** Builds another engine with the given settings; see {@link #settings(String)} for the configured ones. */
    public Engine newEngine(Engine.Settings settings) {
        return engines.newEngine(settings);
    }

    /** Builds another engine on another store (another schema of the same database), with this application's workers. */
    public Engine newEngine(Engine.Settings settings, JobStore store) {
        return engines.newEngine(settings, store);
    }

    /** Starts this node's engine with the given settings, stopping the one running. */
    public Engine startEngine(Engine.Settings settings) {
        return lifecycle.restart(settings);
    }

    /** @return the engine running on this node, or {@code null} (insert-only, stopped) */
    public Engine engine() {
        return lifecycle.engine();
    }

    /** @return the id of this node */
    public String node() {
        return lifecycle.node();
    }

    public JobStore store() {
        return store;
    }

    public WorkerCatalog catalog() {
        return catalog;
    }

    public Clock clock() {
        return clock;
    }

    /** @return the cron entries of this application, resolved from its workers and configuration */
    public CronEntries cron() {
        return cron;
    }
}
