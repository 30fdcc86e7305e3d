package io.quarkiverse.shigoto.runtime;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.runtime.cluster.Leadership;
import io.quarkiverse.shigoto.runtime.cluster.LocalNode;
import io.quarkiverse.shigoto.runtime.cluster.NodeRegistry;
import io.quarkiverse.shigoto.runtime.cluster.NodeSignals;
import io.quarkiverse.shigoto.runtime.cluster.PgNotifier;
import io.quarkiverse.shigoto.runtime.config.ConfiguredQueues;
import io.quarkiverse.shigoto.runtime.maintenance.CronEntry;
import io.quarkiverse.shigoto.runtime.maintenance.CronScheduler;
import io.quarkiverse.shigoto.runtime.maintenance.JobStager;
import io.quarkiverse.shigoto.runtime.maintenance.LoadShedder;
import io.quarkiverse.shigoto.runtime.maintenance.Pruner;
import io.quarkiverse.shigoto.runtime.maintenance.Rescuer;
import io.quarkiverse.shigoto.runtime.queue.BroadcastCounts;
import io.quarkiverse.shigoto.runtime.queue.InsertListener;
import io.quarkiverse.shigoto.runtime.queue.JobCompleter;
import io.quarkiverse.shigoto.runtime.queue.JobExecutor;
import io.quarkiverse.shigoto.runtime.queue.OutcomeListener;
import io.quarkiverse.shigoto.runtime.queue.ProgressWriter;
import io.quarkiverse.shigoto.runtime.queue.QueueProducer;
import io.quarkiverse.shigoto.runtime.queue.SheddingState;
import io.quarkiverse.shigoto.runtime.queue.ShigotoEvents;
import io.quarkiverse.shigoto.runtime.queue.Tracing;
import io.quarkiverse.shigoto.runtime.store.ClusterStore;
import io.quarkiverse.shigoto.runtime.store.ClusterStore.QueueControl;
import io.quarkiverse.shigoto.runtime.store.JobControls;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.store.MaintenanceStore;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.vertx.core.Vertx;

/**
 * The queue-running part of one node: a producer per queue, the executor and completer, and the node's services
 * (each a {@link io.quarkiverse.shigoto.runtime.lifecycle.NodeService}: heartbeat, leadership, notification
 * listener, stager, cron, rescuer, pruner), started and stopped together in the order {@link #start()} and
 * {@link #stop()} document. Several engines may share a JVM and a database (tests use that to run several nodes). As
 * the {@link LocalNode} it receives the signals of other nodes.
 * <p>
 * Over 300 lines: it wires the node's parts and holds the order they start and stop in; each part's work is in its
 * own class.
 */
public final class Engine implements LocalNode {

    private static final Logger LOG = Logger.getLogger(Engine.class);
    private static final Duration LISTEN_WAIT = Duration.ofSeconds(5);

    /**
     * The cluster-wide duties of an engine: heartbeat, the lease of the leader, and what the leader does.
     *
     * @param heartbeat how often the node heartbeats
     * @param nodeTimeout how long after its last heartbeat a node counts as lost
     * @param leaderLease how long the leader's lease lasts
     * @param rescueInterval how often the leader rescues the jobs of lost nodes
     * @param prune what the leader prunes, or {@code null} for nothing
     * @param pruneInterval how often the leader prunes
     */
    public record Maintenance(Duration heartbeat, Duration nodeTimeout, Duration leaderLease, Duration rescueInterval,
            Pruner.Settings prune, Duration pruneInterval) {

        /** The defaults of the configuration, without pruning. */
        public static final Maintenance DEFAULTS = new Maintenance(Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ofSeconds(5), null, Duration.ofMinutes(1));

        /** @return these settings with other pruning */
        public Maintenance withPrune(Pruner.Settings settings, Duration every) {
            return new Maintenance(heartbeat, nodeTimeout, leaderLease, rescueInterval, settings, every);
        }
    }

    /** Settings of an engine. */
    public record Settings(String node, Map<String, Integer> queues, Duration pollInterval, Duration stageInterval,
            Duration shutdownTimeout, int completerBatchSize, Set<String> fairQueues, Set<String> broadcastQueues,
            Maintenance maintenance, List<CronEntry> cron) {

        /** Settings without fair queues and cron entries, with the default maintenance. */
        public Settings(String node, Map<String, Integer> queues, Duration pollInterval, Duration stageInterval,
                Duration shutdownTimeout, int completerBatchSize) {
            this(node, queues, pollInterval, stageInterval, shutdownTimeout, completerBatchSize, Set.of(), Set.of(),
                    Maintenance.DEFAULTS, List.of());
        }

        /** @return these settings with other queues (name to concurrency) */
        public Settings withQueues(Map<String, Integer> queues) {
            return new Settings(node, queues, pollInterval, stageInterval, shutdownTimeout, completerBatchSize,
                    fairQueues, broadcastQueues, maintenance, cron);
        }

        /** @return these settings with other fair queues */
        public Settings withFairQueues(Set<String> fair) {
            return new Settings(node, queues, pollInterval, stageInterval, shutdownTimeout, completerBatchSize, fair,
                    broadcastQueues, maintenance, cron);
        }

        /** @return these settings with other broadcast queues */
        public Settings withBroadcastQueues(Set<String> broadcast) {
            return new Settings(node, queues, pollInterval, stageInterval, shutdownTimeout, completerBatchSize,
                    fairQueues, broadcast, maintenance, cron);
        }

        /** @return these settings with another shutdown timeout */
        public Settings withShutdownTimeout(Duration timeout) {
            return new Settings(node, queues, pollInterval, stageInterval, timeout, completerBatchSize, fairQueues,
                    broadcastQueues, maintenance, cron);
        }

        /** @return these settings with other maintenance */
        public Settings withMaintenance(Maintenance m) {
            return new Settings(node, queues, pollInterval, stageInterval, shutdownTimeout, completerBatchSize,
                    fairQueues, broadcastQueues, m, cron);
        }
    }

    private final Settings settings;
    private final JobStore store;
    private final JobCompleter completer;
    private final JobStager stager;
    private final CronScheduler cron;
    private final PgNotifier notifier;
    private final NodeSignals signals;
    private final ExecutorService callbacks;
    private final ProgressWriter progress;
    private final JobExecutor executor;
    private final NodeRegistry registry;
    private final Clock clock;
    private final Map<String, QueueProducer> producers = new LinkedHashMap<>();
    private final Leadership leadership;
    private final BroadcastCounts broadcasts = new BroadcastCounts();
    private final Rescuer rescuer;
    private final Pruner pruner;
    private final LoadShedder shedder;
    private final SheddingState sheddingState;
    private final ScheduledExecutorService maintenance;

    /**
     * @param host the host name for the node table
     * @param events where progress events go
     * @param outcomes who hears about attempts starting and their stored outcomes (the lifecycle events, metrics)
     * @param inserts who hears about the jobs this node's cron runs insert (the metrics)
     */
    public Engine(Settings settings, JobStore store, WorkerCatalog catalog, Clock clock,
            ScheduledExecutorService timer, Vertx vertx, String host, ShigotoEvents events,
            OutcomeListener outcomes, InsertListener inserts, Tracing tracing) {
        this(settings, store, catalog, clock, timer, vertx, host, events, outcomes, inserts, tracing, Map.of(), null);
    }

    /**
     * @param shedding the queues this node sheds load of when it leads, with how
     * @param sheddingState what this node knows of load shedding, kept current with the queue controls; {@code null}
     *        for an engine apart from this application's (which then neither sheds nor follows)
     */
    public Engine(Settings settings, JobStore store, WorkerCatalog catalog, Clock clock,
            ScheduledExecutorService timer, Vertx vertx, String host, ShigotoEvents events,
            OutcomeListener outcomes, InsertListener inserts, Tracing tracing,
            Map<String, ConfiguredQueues.Shedding> shedding, SheddingState sheddingState) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        this.callbacks = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "shigoto-callback");
            t.setDaemon(true);
            return t;
        });
        Maintenance m = settings.maintenance();
        this.leadership = new Leadership(store.maintenance(), settings.node(), m.leaderLease(), timer);
        this.stager = new JobStager(store, clock, settings.stageInterval(), this::wakeEverywhere,
                leadership::isLeader);
        this.cron = new CronScheduler(store.cron(), catalog, settings.cron(), clock, leadership::isLeader,
                inserts == InsertListener.NONE ? id -> {
                } : id -> cronInserted(id, inserts));
        this.completer = new JobCompleter(store, settings.completerBatchSize(), callbacks, stager::dueAt,
                this::resolveDependents, this::limitedJobsFinished);
        this.progress = new ProgressWriter(store.controls()::progress, timer,
                stored -> events.progressed(stored, settings.node()));
        this.executor = new JobExecutor(catalog, completer, clock, settings.node(), timer, vertx, progress,
                store.dependencies()::results, tracing);
        executor.listener(outcomes);
        completer.listener(outcomes, settings.node());
        settings.queues().forEach((queue, concurrency) -> {
            if (concurrency > 0) {
                producers.put(queue, new QueueProducer(queue, concurrency, store, executor, clock, settings.node(),
                        settings.pollInterval(), settings.fairQueues().contains(queue), catalog.limits(),
                        settings.broadcastQueues().contains(queue) ? broadcasts : null,
                        settings.maintenance().nodeTimeout()));
            }
        });
        this.registry = new NodeRegistry(store.cluster(), settings.node(), host, clock, timer, m.heartbeat(),
                this::runningQueues, this::applyControls, this::onHeartbeat);
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shigoto-maintenance");
            t.setDaemon(true);
            return t;
        });
        this.rescuer = new Rescuer(store.maintenance(), executor, clock, settings.node(), m.nodeTimeout(),
                m.rescueInterval(), maintenance, leadership::isLeader, store.broadcasts(), broadcasts);
        this.pruner = m.prune() == null ? null
                : new Pruner(store.maintenance(), clock, m.prune(), m.pruneInterval(), maintenance, leadership::isLeader);
        this.sheddingState = sheddingState;
        this.shedder = new LoadShedder(store, clock, sheddingState == null ? Map.of() : shedding,
                sheddingState, maintenance, leadership::isLeader,
                (queue, on, below, waited) -> events.shedding(queue, on, below, waited, settings.node()));
        this.signals = new NodeSignals(store, () -> this);
        this.notifier = new PgNotifier(store.dataSource(), signals.receivers(this), () -> {
            wakeAll();
            registry.refreshControls();
            stopCancelledAttempts();
        });
    }

    public String node() {
        return settings.node();
    }

    /** @return the producers of this node by queue */
    public Map<String, QueueProducer> producers() {
        return producers;
    }

    /** @return what this node did for broadcast queues, for the metrics */
    public BroadcastCounts broadcasts() {
        return broadcasts;
    }

    /** @return the completer, for its counters */
    public JobCompleter completer() {
        return completer;
    }

    /** @return the cron scheduler of this node */
    public CronScheduler cron() {
        return cron;
    }

    /** @return the executor, which knows the attempts running here */
    public JobExecutor executor() {
        return executor;
    }

    /**
     * Starts the node: the heartbeat (registers the node and applies the persisted queue controls), leadership, the
     * completer, the notification listener (claims wait until it listens, so no cancellation is missed), the stager
     * and cron, the producers, then the leader's rescuer and pruner.
     */
    public void start() {
        registry.start();
        checkBroadcastAgreement();
        leadership.start();
        completer.start();
        notifier.start();
        // a node must hear cancellations of the jobs it runs: claim only once the listener is in place
        if (!notifier.awaitListening(LISTEN_WAIT)) {
            LOG.warnf("shigoto node %s starts without its notification listener (no connection within %s): wake-ups"
                    + " fall back to polling, cancellations to the heartbeat", settings.node(), LISTEN_WAIT);
        }
        stager.start();
        cron.start();
        producers.values().forEach(QueueProducer::start);
        rescuer.start();
        shedder.start();
        if (pruner != null) {
            pruner.start();
        }
        LOG.infof("shigoto node %s runs queues %s", settings.node(), describeQueues());
    }

    /**
     * A node that runs a broadcast queue without {@code broadcast=true} claims the queue plainly: it would take the
     * broadcasts and the other nodes' deliveries. It cannot be stopped from here, but it is named, loudly.
     */
    private void checkBroadcastAgreement() {
        try {
            for (ClusterStore.NodeRow n : store.cluster().nodes(settings.maintenance().nodeTimeout())) {
                if (n.id().equals(settings.node())) {
                    continue;
                }
                for (String queue : producers.keySet()) {
                    boolean here = settings.broadcastQueues().contains(queue);
                    if (n.queues().containsKey(queue) && n.broadcasts(queue) != here) {
                        LOG.errorf("shigoto node %s runs queue %s %s, but live node %s runs it %s: set"
                                + " quarkus.shigoto.queues.\"%s\".broadcast alike on every node, or the plain"
                                + " claims take the broadcast's jobs and other nodes' deliveries (see"
                                + " docs/broadcast-queues.md)", settings.node(), queue,
                                here ? "as a broadcast queue" : "plainly", n.id(),
                                here ? "plainly" : "as a broadcast queue", queue);
                    }
                }
            }
        } catch (SQLException e) {
            LOG.debugf(e, "shigoto could not compare its broadcast queues with the other nodes'");
        }
    }

    @Override
    public void dueAt(java.time.Instant at) {
        stager.dueAt(at);
    }

    @Override
    public void wake(String queue) {
        QueueProducer p = producers.get(queue);
        if (p != null) {
            p.wake();
        }
    }

    @Override
    public void interrupt(long[] ids) {
        executor.cancel(ids);
    }

    @Override
    public void refreshControls() {
        registry.refreshControls();
    }

    @Override
    public QueueProducer producer(String queue) {
        return producers.get(queue);
    }

    /**
     * Limited jobs finished: their kinds have room again, here and for the producers of other nodes waiting on the
     * same kinds (the announcement runs off the completer's thread).
     */
    private void limitedJobsFinished(Set<String> queues) {
        queues.forEach(this::wake);
        callbacks.execute(() -> {
            try {
                signals.notifyQueues(queues);
            } catch (SQLException e) {
                LOG.debugf(e, "could not announce room in the limited kinds of %s; other nodes find it at their next"
                        + " poll", queues);
            }
        });
    }

    /**
     * The backstop for cancellation messages this node missed (sent while its listener reconnected): attempts running
     * here whose job is no longer executing in the database are stopped.
     */
    private void stopCancelledAttempts() {
        long[] running = executor.runningIds();
        if (running.length == 0) {
            return;
        }
        try {
            long[] gone = store.notExecuting(running);
            if (gone.length > 0) {
                executor.cancel(gone);
            }
        } catch (SQLException e) {
            LOG.debugf(e, "could not check the %d attempts running on node %s", running.length, settings.node());
        }
    }

    /** A cron run inserted a job: those who count inserts hear of it as of any other. */
    private void cronInserted(long id, InsertListener inserts) {
        try {
            store.job(id).ifPresent(job -> {
                inserts.inserted(List.of(job));
                inserts.committed(List.of(job), settings.node());
            });
        } catch (SQLException | RuntimeException e) {
            LOG.debugf(e, "could not report cron job %d to the insert listeners", id);
        }
    }

    /** @return whether this node leads the cluster's maintenance now */
    public boolean isLeader() {
        return leadership.isLeader();
    }

    /** With every heartbeat: stop attempts cancelled elsewhere, store this node's outcome counts. */
    private void onHeartbeat() {
        stopCancelledAttempts();
        flushCounts();
    }

    private void flushCounts() {
        List<MaintenanceStore.Counts> counts = completer.counts().drain();
        try {
            store.maintenance().addStats(settings.node(), counts);
        } catch (Exception e) {
            completer.counts().restore(counts);
            LOG.debugf(e, "could not store the outcome counts of node %s; keeping them for the next heartbeat",
                    settings.node());
        }
    }

    private void applyControls(List<QueueControl> controls) {
        if (sheddingState != null) {
            sheddingState.apply(controls);
        }
        Map<String, QueueControl> byQueue = new HashMap<>();
        controls.forEach(c -> byQueue.put(c.name(), c));
        producers.forEach((queue, producer) -> {
            QueueControl c = byQueue.get(queue);
            producer.setPaused(c != null && c.paused());
            producer.scale(c != null && c.concurrency() != null ? c.concurrency() : settings.queues().get(queue));
        });
    }

    /** @return per queue this node runs: the concurrency it claims with (0 when paused) and its running attempts */
    private Map<String, Object> runningQueues() {
        Map<String, Object> queues = new TreeMap<>();
        producers.forEach((q, p) -> queues.put(q, settings.broadcastQueues().contains(q)
                ? Map.of("concurrency", p.paused() ? 0 : p.concurrency(), "running", p.running(), "broadcast", true)
                : Map.of("concurrency", p.paused() ? 0 : p.concurrency(), "running", p.running())));
        return queues;
    }

    /** Finished jobs may release their dependents; those that became available run here or elsewhere. */
    private void resolveDependents(long[] finished) {
        try {
            Set<String> queues = new LinkedHashSet<>();
            for (JobControls.Changed c : store.dependencies().resolveDependents(finished, clock.instant())) {
                if (c.state() == JobState.AVAILABLE) {
                    queues.add(c.queue());
                } else if (c.state() == JobState.SCHEDULED) {
                    stager.dueAt(clock.instant());
                }
            }
            if (!queues.isEmpty()) {
                wakeEverywhere(queues);
            }
        } catch (SQLException e) {
            LOG.warnf("shigoto could not resolve the dependents of %d finished jobs (%s); the sweep will",
                    finished.length, e.getMessage());
        }
    }

    /** Wakes the queues here and, through a notification, on every other node. */
    private void wakeEverywhere(Collection<String> queues) {
        try {
            signals.wake(queues);
        } catch (SQLException e) {
            LOG.debugf(e, "could not announce available jobs of %s; other nodes find them at their next poll", queues);
        }
    }

    private void wakeAll() {
        producers.values().forEach(QueueProducer::wake);
    }

    /**
     * Stops claiming, waits up to the shutdown timeout for running attempts and for their outcomes to be written,
     * then interrupts whatever still runs. Those jobs stay {@code executing} and are rescued later.
     * <p>
     * The order: the producers stop claiming; the stager, rescuer, pruner, cron and leadership stop (the lease is
     * given up before the wait, so another node leads at once); the running attempts get until the deadline, after
     * which the completer takes no more outcomes and the producers abandon theirs; the completer writes what it has;
     * then progress, the listener, the last outcome counts and the heartbeat (the node leaves the node table last).
     */
    public void stop() {
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        producers.values().forEach(QueueProducer::stopClaiming);
        stager.stop();
        rescuer.stop();
        shedder.stop();
        if (pruner != null) {
            pruner.stop();
        }
        maintenance.shutdownNow();
        cron.stop();
        leadership.stop();
        int running = executor.runningIds().length;
        if (running > 0) {
            LOG.infof("shigoto node %s is stopping: waiting up to %s for %d running job(s)", settings.node(),
                    settings.shutdownTimeout(), running);
        }
        boolean clean = true;
        try {
            for (QueueProducer p : producers.values()) {
                clean &= p.awaitRunning(deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            clean = false;
        }
        if (!clean) {
            int left = executor.runningIds().length;
            LOG.warnf("shigoto node %s stops with %d job(s) still running after %s (%d finished meanwhile); the node"
                    + " that rescues them runs them again", settings.node(), left, settings.shutdownTimeout(),
                    Math.max(0, running - left));
            completer.closeIntake();
            producers.values().forEach(QueueProducer::abandon);
        }
        if (clean && running > 0) {
            LOG.infof("shigoto node %s: the %d running job(s) finished", settings.node(), running);
        }
        completer.stop(Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofSeconds(1).toNanos())));
        progress.stop();
        notifier.stop();
        flushCounts();
        registry.stop();
        callbacks.shutdown();
    }

    private String describeQueues() {
        StringBuilder sb = new StringBuilder();
        producers.values().forEach(p -> sb.append(sb.length() == 0 ? "" : ", ").append(p.queue()).append('(')
                .append(p.concurrency()).append(p.fair() ? ", fair" : "").append(')'));
        return sb.length() == 0 ? "none" : sb.toString();
    }
}
