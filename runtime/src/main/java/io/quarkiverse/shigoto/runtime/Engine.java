package io.quarkiverse.shigoto.runtime;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.runtime.cluster.PgNotifier;
import io.quarkiverse.shigoto.runtime.maintenance.JobStager;
import io.quarkiverse.shigoto.runtime.queue.JobCompleter;
import io.quarkiverse.shigoto.runtime.queue.JobExecutor;
import io.quarkiverse.shigoto.runtime.queue.QueueProducer;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.vertx.core.Vertx;

/**
 * The queue-running part of one node: a producer per queue, the completer, the stager and the notification listener,
 * started and stopped together. Several engines may share a JVM and a database (tests use that to run two nodes).
 */
public final class Engine {

    private static final Logger LOG = Logger.getLogger(Engine.class);

    /** Settings of an engine. */
    public record Settings(String node, Map<String, Integer> queues, Duration pollInterval, Duration stageInterval,
            Duration shutdownTimeout, int completerBatchSize, Set<String> fairQueues) {

        /** Settings without fair queues. */
        public Settings(String node, Map<String, Integer> queues, Duration pollInterval, Duration stageInterval,
                Duration shutdownTimeout, int completerBatchSize) {
            this(node, queues, pollInterval, stageInterval, shutdownTimeout, completerBatchSize, Set.of());
        }

        /** @return these settings with other queues (name to concurrency) */
        public Settings withQueues(Map<String, Integer> queues) {
            return new Settings(node, queues, pollInterval, stageInterval, shutdownTimeout, completerBatchSize,
                    fairQueues);
        }

        /** @return these settings with another shutdown timeout */
        public Settings withShutdownTimeout(Duration timeout) {
            return new Settings(node, queues, pollInterval, stageInterval, timeout, completerBatchSize, fairQueues);
        }
    }

    private final Settings settings;
    private final JobStore store;
    private final JobCompleter completer;
    private final JobStager stager;
    private final PgNotifier notifier;
    private final ExecutorService callbacks;
    private final Map<String, QueueProducer> producers = new LinkedHashMap<>();

    public Engine(Settings settings, JobStore store, WorkerCatalog catalog, Clock clock,
            ScheduledExecutorService timer, Vertx vertx) {
        this.settings = settings;
        this.store = store;
        this.callbacks = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "shigoto-callback");
            t.setDaemon(true);
            return t;
        });
        this.stager = new JobStager(store, clock, settings.stageInterval(), staged -> {
            staged.keySet().forEach(this::wake);
            notifyOtherNodes(staged.keySet());
        });
        this.completer = new JobCompleter(store, settings.completerBatchSize(), callbacks, stager::dueAt,
                this::limitedJobsFinished);
        JobExecutor executor = new JobExecutor(catalog, completer, clock, settings.node(), timer, vertx);
        settings.queues().forEach((queue, concurrency) -> {
            if (concurrency > 0) {
                producers.put(queue, new QueueProducer(queue, concurrency, store, executor, clock, settings.node(),
                        settings.pollInterval(), settings.fairQueues().contains(queue), catalog.limits()));
            }
        });
        this.notifier = new PgNotifier(store.dataSource(), store.schema().insertChannel(), this::wake, this::wakeAll);
    }

    public String node() {
        return settings.node();
    }

    /** @return the producers of this node by queue */
    public Map<String, QueueProducer> producers() {
        return producers;
    }

    /** @return the completer, for its counters */
    public JobCompleter completer() {
        return completer;
    }

    public void start() {
        completer.start();
        notifier.start();
        stager.start();
        producers.values().forEach(QueueProducer::start);
        LOG.infof("shigoto node %s runs queues %s", settings.node(), describeQueues());
    }

    /** Wakes this node's producer of a queue, if it runs that queue. */
    public void wake(String queue) {
        QueueProducer p = producers.get(queue);
        if (p != null) {
            p.wake();
        }
    }

    /**
     * Limited jobs finished: their kinds have room again, here and for the producers of other nodes waiting on the
     * same kinds (the announcement runs off the completer's thread).
     */
    private void limitedJobsFinished(Set<String> queues) {
        queues.forEach(this::wake);
        callbacks.execute(() -> notifyOtherNodes(queues));
    }

    /** Staged jobs may belong to queues that other nodes run (or run with free slots): wake them too. */
    private void notifyOtherNodes(Collection<String> queues) {
        try (Connection c = store.dataSource().getConnection()) {
            store.inserts().notifyQueues(c, queues);
        } catch (SQLException e) {
            LOG.debugf(e, "could not announce staged jobs of %s; other nodes find them at their next poll", queues);
        }
    }

    private void wakeAll() {
        producers.values().forEach(QueueProducer::wake);
    }

    /**
     * Stops claiming, waits up to the shutdown timeout for running attempts and for their outcomes to be written,
     * then interrupts whatever still runs. Those jobs stay {@code executing} and are rescued later.
     */
    public void stop() {
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        producers.values().forEach(QueueProducer::stopClaiming);
        stager.stop();
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
            LOG.warnf("shigoto node %s stops with jobs still running after %s; they will be rescued", settings.node(),
                    settings.shutdownTimeout());
            completer.closeIntake();
            producers.values().forEach(QueueProducer::abandon);
        }
        completer.stop(Duration.ofNanos(Math.max(deadline - System.nanoTime(), Duration.ofSeconds(1).toNanos())));
        notifier.stop();
        callbacks.shutdown();
    }

    private String describeQueues() {
        StringBuilder sb = new StringBuilder();
        producers.values().forEach(p -> sb.append(sb.length() == 0 ? "" : ", ").append(p.queue()).append('(')
                .append(p.concurrency()).append(p.fair() ? ", fair" : "").append(')'));
        return sb.length() == 0 ? "none" : sb.toString();
    }
}
