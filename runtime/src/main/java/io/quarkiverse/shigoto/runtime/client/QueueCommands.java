package io.quarkiverse.shigoto.runtime.client;

import static io.quarkiverse.shigoto.runtime.client.JobCommands.call;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.quarkiverse.shigoto.CronView;
import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.Names;
import io.quarkiverse.shigoto.QueueView;
import io.quarkiverse.shigoto.runtime.cluster.NodeSignals;
import io.quarkiverse.shigoto.runtime.config.ConfiguredQueues;
import io.quarkiverse.shigoto.runtime.config.SettingsCheck;
import io.quarkiverse.shigoto.runtime.maintenance.CronEntries;
import io.quarkiverse.shigoto.runtime.queue.ShigotoEvents;
import io.quarkiverse.shigoto.runtime.store.ClusterStore.NodeRow;
import io.quarkiverse.shigoto.runtime.store.ClusterStore.QueueControl;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;

/**
 * The queue half of the blocking client: pausing, resuming and scaling queues on every node (each change tells the
 * nodes in its own transaction), listing the queues and the cron entries.
 */
final class QueueCommands {

    private final JobStore store;
    private final WorkerCatalog catalog;
    private final Clock clock;
    private final CronEntries cron;
    private final ConfiguredQueues appQueues;
    private final Duration nodeTimeout;
    private final ShigotoEvents events;
    private final AfterCommit afterCommit;
    private final String node;

    /**
     * @param nodeTimeout how long after its last heartbeat a node counts as lost (it no longer runs its queues)
     * @param node this node, which the queue events name
     */
    QueueCommands(JobStore store, WorkerCatalog catalog, Clock clock, CronEntries cron, ConfiguredQueues queues,
            Duration nodeTimeout, ShigotoEvents events, AfterCommit afterCommit, String node) {
        this.events = events;
        this.afterCommit = afterCommit;
        this.node = node;
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
        this.cron = cron;
        this.appQueues = queues;
        this.nodeTimeout = nodeTimeout;
    }

    void pause(String queue, boolean paused) {
        String name = Names.requireName(queue, "queue");
        call((paused ? "pause" : "resume") + " queue " + name, () -> {
            // resuming is always allowed: it is how a pause stored for a queue no longer configured is undone
            if (paused) {
                requireConfigured(name, "pause");
            }
            store.cluster().pause(name, paused, clock.instant(), NodeSignals.controlsChanged());
            afterCommit.run(() -> events.queuePaused(name, paused, node));
            return null;
        });
    }

    void scale(String queue, int concurrency) {
        String name = Names.requireName(queue, "queue");
        if (concurrency < 0 || concurrency > SettingsCheck.MAX_CONCURRENCY) {
            throw new InvalidJobException("concurrency must be between 0 and " + SettingsCheck.MAX_CONCURRENCY
                    + ", was " + concurrency);
        }
        call("scale queue " + name, () -> {
            requireConfigured(name, "scale");
            store.cluster().scale(name, concurrency, clock.instant(), NodeSignals.controlsChanged());
            afterCommit.run(() -> events.queueScaled(name, concurrency, node));
            return null;
        });
    }

    /**
     * Refuses a control for a queue nothing configures: it would be stored, and listed among the queues, with no node
     * ever running the queue (a typo in a form or a script).
     */
    private void requireConfigured(String queue, String action) throws SQLException {
        Set<String> configured = configuredQueues();
        if (!configured.contains(queue)) {
            throw new InvalidJobException("cannot " + action + " queue '" + queue + "': no live node runs it and no"
                    + " @Job worker, cron entry or quarkus.shigoto.queues entry of this application names it"
                    + " (configured queues: " + String.join(", ", configured) + ")");
        }
    }

    /**
     * @return the queues of this application (its workers', its configured ones, even at concurrency 0, its cron
     *         entries'), and those any live node runs
     */
    private Set<String> configuredQueues() throws SQLException {
        Set<String> queues = new TreeSet<>(appQueues.running().keySet());
        queues.addAll(appQueues.named());
        for (NodeRow node : store.cluster().nodes(nodeTimeout)) {
            queues.addAll(node.queues().keySet());
        }
        return queues;
    }

    List<QueueView> queues() {
        return call("list queues", () -> {
            Map<String, QueueControl> controls = new TreeMap<>();
            // a control that changes nothing (resumed, no concurrency set, not shedding) does not make a queue worth
            // listing
            store.cluster().queueControls().stream()
                    .filter(c -> c.paused() || c.concurrency() != null || c.sheddingSince() != null)
                    .forEach(c -> controls.put(c.name(), c));
            Map<String, Map<String, Integer>> nodes = new TreeMap<>();
            appQueues.running().keySet().forEach(q -> nodes.put(q, new TreeMap<>()));
            controls.keySet().forEach(q -> nodes.computeIfAbsent(q, k -> new TreeMap<>()));
            for (NodeRow node : store.cluster().nodes(nodeTimeout)) {
                node.queues().keySet().forEach(q -> nodes.computeIfAbsent(q, k -> new TreeMap<>())
                        .put(node.id(), node.concurrency(q)));
            }
            List<QueueView> views = new ArrayList<>();
            nodes.forEach((q, running) -> {
                QueueControl c = controls.get(q);
                views.add(new QueueView(q, c != null && c.paused(), c == null ? null : c.concurrency(),
                        Map.copyOf(running), c == null ? null : c.sheddingSince()));
            });
            return views;
        });
    }

    List<CronView> cronEntries() {
        return call("list cron entries", () -> cron.views(store.cron().rows(), catalog,
                clock.instant()));
    }
}
