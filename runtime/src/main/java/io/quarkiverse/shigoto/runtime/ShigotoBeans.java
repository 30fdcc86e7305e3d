package io.quarkiverse.shigoto.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.ShigotoException;
import io.quarkiverse.shigoto.Unique;
import io.quarkiverse.shigoto.runtime.cluster.InsertNotifier;
import io.quarkiverse.shigoto.runtime.cluster.NodeSignals;
import io.quarkiverse.shigoto.runtime.cluster.ThisNode;
import io.quarkiverse.shigoto.runtime.config.ConfiguredQueues;
import io.quarkiverse.shigoto.runtime.config.ShigotoConfig;
import io.quarkiverse.shigoto.runtime.crypto.KeyRing;
import io.quarkiverse.shigoto.runtime.maintenance.CronEntries;
import io.quarkiverse.shigoto.runtime.maintenance.CronEntry;
import io.quarkiverse.shigoto.runtime.queue.Tracing;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.store.Schema;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.quarkiverse.shigoto.runtime.worker.WorkerDefinition;
import io.quarkus.agroal.runtime.AgroalDataSourceUtil;
import io.quarkus.arc.DefaultBean;
import io.quarkus.datasource.common.runtime.DataSourceUtil;
import io.smallrye.common.annotation.Identifier;

/**
 * The shared parts of a node, made once from configuration and injected where they are used: the store, this node's
 * identity, its queues and cron entries, the signals between nodes, the insert notifier and the timer.
 */
@Singleton
public class ShigotoBeans {

    // NOTIFY makes concurrent commits wait on each other: inserts this node's producers take need none (InsertNotifier);
    // for the others at most one per queue and node every 2 ms keeps that cost negligible while a job inserted just
    // after a wake-up still waits at most 2 ms for its trailing notification
    private static final Duration NOTIFY_COOLDOWN = Duration.ofMillis(2);

    @Produces
    @Singleton
    JobStore store(ShigotoConfig config, WorkerCatalog catalog) {
        JobStore store = new JobStore(dataSource(config), Schema.of(config.schema()));
        Map<String, Duration> timeouts = new HashMap<>();
        for (WorkerDefinition d : catalog.all()) {
            timeouts.put(d.kind(), Duration.ofMillis(d.timeoutMillis()));
        }
        store.maintenance().attemptTimeouts(timeouts);
        return store;
    }

    /**
     * The encryption keys; checked when the node starts ({@link NodeLifecycle}).
     *
     * @throws ShigotoException naming every invalid property, and the encrypted kinds when no key is configured
     */
    @Produces
    @Singleton
    KeyRing keyRing(ShigotoConfig config, WorkerCatalog catalog) {
        KeyRing ring;
        try {
            ring = KeyRing.of(config.encryption().keys(), config.encryption().primary(),
                    config.encryption().hashKey());
        } catch (IllegalArgumentException e) {
            throw new ShigotoException(e.getMessage());
        }
        List<String> encrypted = new ArrayList<>();
        List<String> uniqueByArgs = new ArrayList<>();
        for (WorkerDefinition d : catalog.all()) {
            if (d.encrypted() || d.encryptResult()) {
                encrypted.add(d.kind());
            }
            // only encrypted args make the unique key keyed: a worker that encrypts its results hashes plain args
            if (d.encrypted() && d.unique() != null && d.unique().has(Unique.Key.ARGS)) {
                uniqueByArgs.add(d.kind());
            }
        }
        if (!encrypted.isEmpty() && !ring.configured()) {
            throw new ShigotoException("the workers of kind(s) " + encrypted + " are @Job(encrypted = true) or"
                    + " @Job(encryptResult = true), but no"
                    + " encryption key is configured: set " + KeyRing.KEYS + ".\"<id>\"=<32 bytes in base64> and "
                    + KeyRing.PRIMARY + "=<id>");
        }
        if (!uniqueByArgs.isEmpty() && !ring.hashes()) {
            throw new ShigotoException("the workers of kind(s) " + uniqueByArgs + " are encrypted and @Unique by"
                    + " their args, which needs a keyed hash: set " + KeyRing.HASH_KEY + "=<32 bytes in base64>"
                    + " (a key of its own, kept when the encryption keys rotate)");
        }
        return ring;
    }

    @Produces
    @Singleton
    ThisNode thisNode(ShigotoConfig config) {
        return new ThisNode(config.nodeId().orElse(null));
    }

    @Produces
    @Singleton
    CronEntries cron(ShigotoConfig config, WorkerCatalog catalog) {
        return CronEntries.resolve(config.cron(), config.cronCatchUp(), catalog);
    }

    @Produces
    @Singleton
    ConfiguredQueues queues(ShigotoConfig config, WorkerCatalog catalog, CronEntries cron) {
        Map<String, Integer> running = new TreeMap<>();
        for (String q : catalog.queues()) {
            running.put(q, config.queues().get(q).concurrency());
        }
        config.queues().forEach((q, c) -> running.put(q, c.concurrency()));
        Set<String> named = new TreeSet<>(catalog.queues());
        for (CronEntry e : cron.all()) {
            named.add(e.queue() != null ? e.queue() : catalog.requireKind(e.kind()).queue());
        }
        Set<String> fair = new TreeSet<>();
        Set<String> broadcast = new TreeSet<>();
        config.queues().forEach((q, c) -> {
            if (c.fair()) {
                fair.add(q);
            }
            if (c.broadcast()) {
                broadcast.add(q);
            }
        });
        Map<String, ConfiguredQueues.Shedding> shedding = new TreeMap<>();
        config.queues().forEach((q, c) -> {
            ShigotoConfig.SheddingConfig s = c.shedding();
            if (s.enabled()) {
                shedding.put(q, new ConfiguredQueues.Shedding(s.target(), s.interval(), s.defer(),
                        s.rejectBelowPriority().isPresent() ? s.rejectBelowPriority().getAsInt() : null));
            }
        });
        return new ConfiguredQueues(running, named, fair, shedding, broadcast);
    }

    /** The signals this node's client sends: delivered to the engine running here, if any, and to every other node. */
    @Produces
    @Singleton
    NodeSignals signals(JobStore store, ThisNode node) {
        return new NodeSignals(store, node::engine);
    }

    @Produces
    @Singleton
    InsertNotifier insertNotifier(NodeSignals signals, @Identifier("shigoto") ScheduledExecutorService timer,
            ThisNode node) {
        return new InsertNotifier(signals, timer, NOTIFY_COOLDOWN, node::engine);
    }

    /** No tracing: the application has no OpenTelemetry (with it, the build adds its own producer). */
    @Produces
    @Singleton
    @DefaultBean
    Tracing tracing() {
        return Tracing.NONE;
    }

    /** The timer of the node's short periodic tasks (leadership, progress, the attempt watchdog, trailing wake-ups). */
    @Produces
    @Singleton
    @Identifier("shigoto")
    ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "shigoto-timer");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    void stopTimer(@Disposes @Identifier("shigoto") ScheduledExecutorService timer) {
        timer.shutdownNow();
    }

    private static AgroalDataSource dataSource(ShigotoConfig config) {
        String name = config.datasource().orElse(DataSourceUtil.DEFAULT_DATASOURCE_NAME);
        if (!AgroalDataSourceUtil.dataSourceInstance(name).isResolvable()) {
            throw new ShigotoException(DataSourceUtil.isDefault(name)
                    ? "shigoto needs a JDBC datasource, and the application has no default one: set "
                            + "quarkus.datasource.db-kind=postgresql and quarkus.datasource.jdbc.url"
                    : "quarkus.shigoto.datasource names '" + name
                            + "', but no JDBC datasource of that name is configured");
        }
        return AgroalDataSourceUtil.dataSourceIfActive(name).orElseThrow(() -> new ShigotoException(inactive(name)));
    }

    /** @return why the datasource is not there, naming the properties that make it so */
    static String inactive(String name) {
        String which = DataSourceUtil.isDefault(name) ? "default JDBC datasource" : "JDBC datasource '" + name + "'";
        return "the " + which + ", which shigoto uses, is not active: set "
                + DataSourceUtil.dataSourcePropertyKey(name, "jdbc.url") + " (and "
                + DataSourceUtil.dataSourcePropertyKey(name, "active") + "=true if it was deactivated). In dev and test"
                + " mode, with the URL unset, a Dev Service provides one: Quarkus's PostgreSQL container where Docker or"
                + " Podman runs, else shigoto's embedded PostgreSQL (unless quarkus.shigoto.devservices.enabled=false"
                + " or quarkus.datasource.devservices.enabled is set)";
    }
}
