package io.quarkiverse.shigoto.runtime;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.ShigotoException;
import io.quarkiverse.shigoto.runtime.client.InsertListener;
import io.quarkiverse.shigoto.runtime.cluster.InsertNotifier;
import io.quarkiverse.shigoto.runtime.config.SettingsCheck;
import io.quarkiverse.shigoto.runtime.config.ShigotoConfig;
import io.quarkiverse.shigoto.runtime.maintenance.CronEntries;
import io.quarkiverse.shigoto.runtime.maintenance.CronEntry;
import io.quarkiverse.shigoto.runtime.maintenance.Pruner;
import io.quarkiverse.shigoto.runtime.queue.OutcomeListener;
import io.quarkiverse.shigoto.runtime.queue.OutcomeListeners;
import io.quarkiverse.shigoto.runtime.queue.QueueProducer;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.store.Migrator;
import io.quarkiverse.shigoto.runtime.store.Schema;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.quarkiverse.shigoto.runtime.worker.WorkerDefinition;
import io.quarkus.agroal.runtime.AgroalDataSourceUtil;
import io.quarkus.arc.Unremovable;
import io.quarkus.datasource.common.runtime.DataSourceUtil;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.Vertx;

/**
 * Wires the store, the clients' shared parts and this node's {@link Engine} from configuration, and runs the engine
 * between application start and shutdown.
 */
@Singleton
@Unremovable
public class ShigotoRuntime {

    private static final Logger LOG = Logger.getLogger(ShigotoRuntime.class);
    // NOTIFY makes concurrent commits wait on each other: inserts this node's producers take need none (InsertNotifier);
    // for the others at most one per queue and node every 2 ms keeps that cost negligible while a job inserted just
    // after a wake-up still waits at most 2 ms for its trailing notification
    private static final Duration NOTIFY_COOLDOWN = Duration.ofMillis(2);

    private final ShigotoConfig config;
    private final WorkerCatalog catalog;
    private final Clock clock;
    private final Vertx vertx;
    private final JobStore store;
    private final String node;
    private final ScheduledExecutorService timer;
    private final InsertNotifier insertNotifier;
    private final ShigotoEvents events;
    private final OutcomeListener outcomes;
    private final InsertListener inserts;
    private final String host;
    private final CronEntries cron;
    private volatile Engine engine;

    /**
     * @param outcomes every bean that hears about attempts and their outcomes: the lifecycle events, and the metrics
     *        when the application has them
     * @param inserts every bean that hears about inserted jobs (the metrics)
     */
    @Inject
    public ShigotoRuntime(ShigotoConfig config, WorkerCatalog catalog, @Identifier("shigoto") Clock clock,
            Vertx vertx, ShigotoEvents events, @Any Instance<OutcomeListener> outcomes,
            @Any Instance<InsertListener> inserts) {
        this.events = events;
        this.outcomes = OutcomeListeners.of(outcomes.stream().toList());
        List<InsertListener> insertListeners = inserts.stream().toList();
        this.inserts = insertListeners.isEmpty() ? InsertListener.NONE
                : insertListeners.size() == 1 ? insertListeners.get(0)
                        : jobs -> insertListeners.forEach(l -> l.inserted(jobs));
        this.host = hostName();
        this.config = config;
        this.catalog = catalog;
        this.clock = clock;
        this.vertx = vertx;
        this.store = new JobStore(dataSource(config), Schema.of(config.schema()));
        store.maintenance().attemptTimeouts(attemptTimeouts(catalog));
        this.node = config.nodeId().orElseGet(ShigotoRuntime::defaultNodeId);
        this.cron = CronEntries.resolve(config.cron(), config.cronCatchUp(), catalog);
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "shigoto-timer");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        this.insertNotifier = new InsertNotifier(store, timer, NOTIFY_COOLDOWN, this::localRoom);
    }

    private static Map<String, Duration> attemptTimeouts(WorkerCatalog catalog) {
        Map<String, Duration> timeouts = new HashMap<>();
        for (WorkerDefinition d : catalog.all()) {
            timeouts.put(d.kind(), Duration.ofMillis(d.timeoutMillis()));
        }
        return timeouts;
    }

    void onStart(@Observes StartupEvent event) {
        prepareSchema();
        if (config.enabled()) {
            engine = newEngine(node);
            warnUnusedQueues();
            engine.start();
        } else {
            LOG.infof("shigoto node %s is insert-only (quarkus.shigoto.enabled=false)", node);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (engine != null) {
            engine.stop();
            engine = null;
        }
        timer.shutdownNow();
    }

    /**
     * Builds another engine on this application's store and workers, under another node id. Tests use it to run
     * several nodes in one JVM.
     */
    public Engine newEngine(String nodeId) {
        return newEngine(settings(nodeId));
    }

    /** Builds another engine with the given settings; see {@link #settings(String)} for the configured ones. */
    public Engine newEngine(Engine.Settings settings) {
        return newEngine(settings, store);
    }

    /**
     * Builds another engine on another store (another schema of the same database), with this application's workers.
     * Tests use it to run a cluster of their own, apart from this application's node.
     */
    public Engine newEngine(Engine.Settings settings, JobStore store) {
        Engine built = new Engine(settings, store, catalog, clock, timer, vertx, host, events, outcomes, inserts);
        built.producers().values().forEach(p -> p.announceWith(insertNotifier::announce));
        return built;
    }

    /** @return the configured engine settings under a node id */
    public Engine.Settings settings(String nodeId) {
        return new Engine.Settings(nodeId, queues(), config.pollInterval(), config.stageInterval(),
                config.shutdownTimeout(), config.completerBatchSize(), fairQueues(), maintenance(), cron.all());
    }

    public JobStore store() {
        return store;
    }

    public WorkerCatalog catalog() {
        return catalog;
    }

    /** @return the cron entries of this application, resolved from its workers and configuration */
    public CronEntries cron() {
        return cron;
    }

    public Clock clock() {
        return clock;
    }

    public String node() {
        return node;
    }

    public InsertNotifier insertNotifier() {
        return insertNotifier;
    }

    /**
     * Starts this node's engine with the given settings, stopping the one running; benchmarks use it to start working
     * only once their jobs are in.
     */
    public synchronized Engine startEngine(Engine.Settings settings) {
        if (engine != null) {
            engine.stop();
        }
        Engine started = newEngine(settings);
        started.start();
        engine = started;
        return started;
    }

    public ShigotoEvents events() {
        return events;
    }

    /** @return who hears about inserted jobs; {@link InsertListener#NONE} when nobody does */
    public InsertListener insertListener() {
        return inserts;
    }

    /** @return the engine running on this node, or {@code null} (insert-only, stopped) */
    public Engine engine() {
        return engine;
    }

    /** Wakes this node's producers of the queues, if it runs them. */
    public void wakeLocally(Collection<String> queues) {
        Engine e = engine;
        if (e != null) {
            queues.forEach(e::wake);
        }
    }

    /**
     * Once inserted jobs are committed, wakes this node's producers of their queues. The queues the insert did not
     * notify (see {@link InsertNotifier#queuesToNotify(Collection, int)}) are handed to the producer, which answers
     * for their jobs, or announced to every node when it no longer runs.
     *
     * @param notified the queues the insert notified inside its transaction
     */
    public void wakeAfterInsert(Collection<String> queues, Collection<String> notified) {
        Engine e = engine;
        for (String queue : queues) {
            QueueProducer p = e == null ? null : e.producers().get(queue);
            if (notified.contains(queue)) {
                if (p != null) {
                    p.wake();
                }
            } else if (p == null || !p.wakeForInserted()) {
                insertNotifier.announce(queue);
            }
        }
    }

    /** @return whether this node's producer of the queue would claim this many more jobs now */
    private boolean localRoom(String queue, int jobs) {
        Engine e = engine;
        QueueProducer p = e == null ? null : e.producers().get(queue);
        return p != null && p.fits(jobs);
    }

    /** @return the queues this node runs with their concurrency: configured ones and those of known workers */
    public Map<String, Integer> queues() {
        Map<String, Integer> queues = new TreeMap<>();
        for (String q : catalog.queues()) {
            queues.put(q, config.queues().get(q).concurrency());
        }
        config.queues().forEach((q, c) -> queues.put(q, c.concurrency()));
        return queues;
    }

    /** @return the queues this application's workers and cron entries name, whether or not this node runs them */
    public Set<String> namedQueues() {
        Set<String> queues = new TreeSet<>(catalog.queues());
        for (CronEntry e : cron.all()) {
            queues.add(e.queue() != null ? e.queue() : catalog.requireKind(e.kind()).queue());
        }
        return queues;
    }

    /** Once per start: a configured queue nothing names is usually a misspelt one, idle forever. */
    private void warnUnusedQueues() {
        for (String q : SettingsCheck.unusedQueues(config.queues(), namedQueues())) {
            LOG.warnf("quarkus.shigoto.queues.\"%s\" configures a queue that no @Job worker or cron entry of this"
                    + " application names: this node runs it, but only jobs inserted with JobRequest.queue(\"%s\")"
                    + " reach it. Check the spelling, or set its concurrency to 0 where it should not run", q, q);
        }
    }

    /** @return how long after its last heartbeat a node counts as lost */
    public Duration nodeTimeout() {
        return config.nodeTimeout();
    }

    /** @return the configured heartbeat, leadership, rescue and pruning, checked */
    private Engine.Maintenance maintenance() {
        List<String> problems = new ArrayList<>(SettingsCheck.problems(config));
        if (config.heartbeatInterval().toMillis() < 100) {
            problems.add("quarkus.shigoto.heartbeat-interval must be at least 100ms, not " + config.heartbeatInterval());
        }
        if (config.nodeTimeout().compareTo(config.heartbeatInterval().multipliedBy(3)) < 0) {
            problems.add("quarkus.shigoto.node-timeout (" + config.nodeTimeout()
                    + ") must be at least three heartbeat intervals (" + config.heartbeatInterval().multipliedBy(3)
                    + "), or live nodes would be taken for lost");
        }
        if (config.leaderLease().toMillis() < 500) {
            problems.add("quarkus.shigoto.leader-lease must be at least 500ms, not " + config.leaderLease());
        }
        if (config.rescueInterval().toMillis() < 10) {
            problems.add("quarkus.shigoto.rescue-interval must be at least 10ms, not " + config.rescueInterval());
        }
        ShigotoConfig.PruneConfig prune = config.prune();
        Map<JobState, Duration> retention = new EnumMap<>(JobState.class);
        retention.put(JobState.COMPLETED, prune.completed());
        retention.put(JobState.CANCELLED, prune.cancelled());
        retention.put(JobState.DISCARDED, prune.discarded());
        retention.forEach((state, keep) -> {
            if (keep.isNegative()) {
                problems.add("quarkus.shigoto.prune." + state.name().toLowerCase(Locale.ROOT)
                        + " must not be negative, not " + keep);
            }
        });
        prune.archiveRetention().filter(Duration::isNegative).ifPresent(keep -> problems
                .add("quarkus.shigoto.prune.archive-retention must not be negative, not " + keep));
        if (prune.batchSize() < 1) {
            problems.add("quarkus.shigoto.prune.batch-size must be at least 1, not " + prune.batchSize());
        }
        if (prune.interval().toMillis() < 10) {
            problems.add("quarkus.shigoto.prune.interval must be at least 10ms, not " + prune.interval());
        }
        if (!problems.isEmpty()) {
            throw new ShigotoException("invalid shigoto configuration:\n  - " + String.join("\n  - ", problems));
        }
        Pruner.Settings pruning = prune.enabled()
                ? new Pruner.Settings(retention, prune.batchSize(), prune.mode() == ShigotoConfig.PruneMode.ARCHIVE,
                        prune.archiveRetention().orElse(null))
                : null;
        return new Engine.Maintenance(config.heartbeatInterval(), config.nodeTimeout(), config.leaderLease(),
                config.rescueInterval(), pruning, prune.interval());
    }

    /** @return the queues configured fair */
    private Set<String> fairQueues() {
        Set<String> fair = new TreeSet<>();
        config.queues().forEach((q, c) -> {
            if (c.fair()) {
                fair.add(q);
            }
        });
        return fair;
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

    private static AgroalDataSource dataSource(ShigotoConfig config) {
        String name = config.datasource().orElse(DataSourceUtil.DEFAULT_DATASOURCE_NAME);
        if (!AgroalDataSourceUtil.dataSourceInstance(name).isResolvable()) {
            throw new ShigotoException("quarkus.shigoto.datasource names '" + name
                    + "', but no JDBC datasource of that name is configured");
        }
        return AgroalDataSourceUtil.dataSourceIfActive(name).orElseThrow(() -> new ShigotoException(
                "the JDBC datasource '" + name + "' used by shigoto is not active: configure its jdbc url"));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static String defaultNodeId() {
        String host = hostName();
        long pid = ProcessHandle.current().pid();
        return host + "-" + pid + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }
}
