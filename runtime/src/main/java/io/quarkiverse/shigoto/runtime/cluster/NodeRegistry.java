package io.quarkiverse.shigoto.runtime.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.runtime.lifecycle.NodeService;
import io.quarkiverse.shigoto.runtime.store.ClusterStore;
import io.quarkiverse.shigoto.runtime.store.ClusterStore.QueueControl;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;

/**
 * Keeps this node in the node table (a heartbeat with the queues it runs) and its queues in line with the persisted
 * controls: read at start, on every control message, after a lost notification connection and with each heartbeat
 * as the backstop.
 * <p>
 * The heartbeat has a connection of its own, taken from the pool at start and kept (as the notification listener
 * keeps its one): an application that holds every other connection of the pool must not make its live nodes look
 * lost, or the leader would rescue jobs that are still running and run them twice. It also has a thread of its
 * own: the shared timer's other tasks wait on the pool then. A broken connection is replaced at the next heartbeat.
 */
public final class NodeRegistry implements NodeService {

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
    private final ScheduledExecutorService beats;
    // the heartbeat's own connection; guarded by this
    private Connection connection;

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
        this.beats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "shigoto-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** @return what is wrong with the heartbeat settings, one sentence per problem naming its property */
    public static List<String> problems(Duration heartbeat, Duration nodeTimeout) {
        List<String> problems = new ArrayList<>();
        if (heartbeat.toMillis() < 100) {
            problems.add("quarkus.shigoto.heartbeat-interval must be at least 100ms, not " + heartbeat);
        }
        if (nodeTimeout.compareTo(heartbeat.multipliedBy(3)) < 0) {
            problems.add("quarkus.shigoto.node-timeout (" + nodeTimeout + ") must be at least three heartbeat"
                    + " intervals (" + heartbeat.multipliedBy(3) + "), or live nodes would be taken for lost");
        }
        return problems;
    }

    /** Applies the persisted controls, registers the node and starts the heartbeat. */
    @Override
    public void start() {
        refreshControls();
        beat();
        beats.scheduleWithFixedDelay(this::beat, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        task = timer.scheduleWithFixedDelay(() -> {
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

    private synchronized void beat() {
        try {
            if (connection == null) {
                connection = store.dataSource().getConnection();
            }
            store.heartbeat(connection, node, host, startedAt, JsonCodec.write(queues.get()));
        } catch (Exception e) {
            LOG.warnf("shigoto node %s could not heartbeat (%s)", node, e.getMessage());
            closeConnection();
        }
    }

    private synchronized void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debugf(e, "could not close the heartbeat connection of node %s", node);
            }
            connection = null;
        }
    }

    /** Stops the heartbeat and leaves the node table. */
    @Override
    public void stop() {
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
        beats.shutdown();
        // waits for a heartbeat in flight
        closeConnection();
        try {
            store.removeNode(node);
        } catch (Exception e) {
            LOG.debugf(e, "node %s could not leave the node table; it ages out", node);
        }
    }
}
