package io.quarkiverse.shigoto.runtime.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.runtime.store.ClusterStore;
import io.quarkiverse.shigoto.runtime.store.ClusterStore.QueueControl;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;

/**
 * Keeps this node in the node table (a heartbeat with the queues it runs) and its queues in line with the persisted
 * controls: read at start, on every control message, after a lost notification connection and with each heartbeat
 * as the backstop.
 */
public final class NodeRegistry {

    private static final Logger LOG = Logger.getLogger(NodeRegistry.class);
    private final ClusterStore store;
    private final String node;
    private final String host;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Duration every;
    private final Supplier<Map<String, Object>> queues;
    private final Consumer<List<QueueControl>> apply;
    private final Runnable onBeat;
    private final Instant startedAt;
    private volatile ScheduledFuture<?> task;

    /**
     * @param every how often to heartbeat
     * @param queues the queues this node runs now, with their concurrency and running attempts, for the heartbeat
     * @param apply applies the persisted controls to this node's producers
     * @param onBeat runs with every heartbeat (the node's other periodic checks)
     */
    public NodeRegistry(ClusterStore store, String node, String host, Clock clock, ScheduledExecutorService timer,
            Duration every, Supplier<Map<String, Object>> queues, Consumer<List<QueueControl>> apply, Runnable onBeat) {
        this.store = store;
        this.node = node;
        this.host = host;
        this.clock = clock;
        this.timer = timer;
        this.every = every;
        this.queues = queues;
        this.apply = apply;
        this.onBeat = onBeat;
        this.startedAt = clock.instant();
    }

    /** Applies the persisted controls, registers the node and starts the heartbeat. */
    public void start() {
        refreshControls();
        beat();
        task = timer.scheduleWithFixedDelay(() -> {
            beat();
            refreshControls();
            onBeat.run();
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads the persisted queue controls and applies them. */
    public void refreshControls() {
        try {
            apply.accept(store.queueControls());
        } catch (Exception e) {
            LOG.warnf("shigoto could not read the queue controls (%s); keeping the current ones", e.getMessage());
        }
    }

    private void beat() {
        try {
            store.heartbeat(node, host, startedAt, JsonCodec.write(queues.get()));
        } catch (Exception e) {
            LOG.warnf("shigoto node %s could not heartbeat (%s)", node, e.getMessage());
        }
    }

    /** Stops the heartbeat and leaves the node table. */
    public void stop() {
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
        try {
            store.removeNode(node);
        } catch (Exception e) {
            LOG.debugf(e, "node %s could not leave the node table; it ages out", node);
        }
    }
}
