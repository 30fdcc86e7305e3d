package io.quarkiverse.shigoto.runtime.maintenance;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.runtime.cluster.NodeSignals;
import io.quarkiverse.shigoto.runtime.config.ConfiguredQueues;
import io.quarkiverse.shigoto.runtime.lifecycle.NodeService;
import io.quarkiverse.shigoto.runtime.lifecycle.Periodic;
import io.quarkiverse.shigoto.runtime.queue.SheddingState;
import io.quarkiverse.shigoto.runtime.store.ClusterStore;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.store.SheddingStore;

/**
 * The leader's load shedding: for every queue with {@code shedding.enabled}, it measures the wait of the oldest
 * claimable job (one probe of the claim's index per priority waiting), lets {@link SheddingControl} decide, stores a
 * change of state (and tells every node, which then refuses inserts below the configured priority), and while the
 * queue sheds defers its jobs below the shed priority: they become {@code scheduled} after {@code shedding.defer},
 * using no attempt. Runs on the leader only, every quarter of the smallest target (between 100 ms and 1 s).
 */
public final class LoadShedder implements NodeService {

    private static final Logger LOG = Logger.getLogger(LoadShedder.class);
    /** The most jobs one step defers; the next step takes the rest. */
    static final int DEFER_BATCH = 5_000;

    private final JobStore store;
    private final Clock clock;
    private final Map<String, ConfiguredQueues.Shedding> queues;
    private final Map<String, SheddingControl> controls = new HashMap<>();
    private final SheddingState state;
    private final BooleanSupplier leading;
    private final Periodic loop;
    private final Changed changed;

    /** A change of a queue's shedding this node stored. */
    @FunctionalInterface
    public interface Changed {
        void shedding(String queue, boolean shedding, Integer shedBelow, Duration waited);
    }

    /** @param changed told of every change this node stores, for the events */
    public LoadShedder(JobStore store, Clock clock, Map<String, ConfiguredQueues.Shedding> queues,
            SheddingState state, ScheduledExecutorService thread, BooleanSupplier leading, Changed changed) {
        this.changed = changed;
        this.store = store;
        this.clock = clock;
        this.queues = new TreeMap<>(queues);
        this.state = state;
        this.leading = leading;
        queues.forEach((q, s) -> controls.put(q, new SheddingControl(s)));
        Duration every = Duration.ofSeconds(1);
        for (ConfiguredQueues.Shedding s : queues.values()) {
            Duration quarter = s.target().dividedBy(4);
            every = quarter.compareTo(every) < 0 ? quarter : every;
        }
        every = every.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : every;
        this.loop = new Periodic(thread, every, every, this::tick);
    }

    @Override
    public void start() {
        if (!queues.isEmpty()) {
            loop.start();
        }
    }

    @Override
    public void stop() {
        loop.stop();
    }

    private void tick() {
        if (!leading.getAsBoolean()) {
            return;
        }
        try {
            Map<String, Instant> stored = new HashMap<>();
            java.util.Set<String> paused = new java.util.HashSet<>();
            for (ClusterStore.QueueControl c : store.cluster().queueControls()) {
                if (c.sheddingSince() != null) {
                    stored.put(c.name(), c.sheddingSince());
                }
                if (c.paused()) {
                    paused.add(c.name());
                }
            }
            for (Map.Entry<String, ConfiguredQueues.Shedding> q : queues.entrySet()) {
                shed(q.getKey(), q.getValue(), stored.get(q.getKey()), paused.contains(q.getKey()));
            }
        } catch (Exception e) {
            LOG.warnf("shigoto could not shed load (%s); trying again at the next check", e.getMessage());
        }
    }

    /**
     * @param since since when the stored state says the queue sheds, or {@code null}
     * @param paused whether the queue is paused: its jobs wait because someone asked, not because of load, so it does
     *        not shed (and stops if it did)
     */
    private void shed(String queue, ConfiguredQueues.Shedding settings, Instant since, boolean paused)
            throws Exception {
        Instant now = clock.instant();
        List<SheddingStore.Band> bands = paused ? List.of() : store.shedding().bands(queue);
        SheddingControl.Decision d = controls.get(queue).next(now, since != null, bands);
        if (d.changed()) {
            store.shedding().state(queue, d.shedding() ? (since != null ? since : now) : null, d.shedBelow(), now);
            store.cluster().announce(List.of(NodeSignals.controlsChanged()));
            changed.shedding(queue, d.shedding(), d.shedBelow(), d.waited());
            if (d.shedding() && since != null) {
                LOG.infof("queue %s still sheds load (its oldest claimable job waited %s): now jobs of a priority"
                        + " below %s are deferred", queue, d.waited(), d.shedBelow());
            } else if (d.shedding()) {
                LOG.warnf("queue %s sheds load: its oldest claimable job waited %s (target %s)%s", queue,
                        d.waited(), settings.target(), d.shedBelow() == null ? ", one priority waits: nothing deferred"
                                : "; jobs of a priority below " + d.shedBelow() + " are deferred by " + settings.defer());
            } else {
                LOG.infof("queue %s no longer sheds load: its oldest claimable job waited %s", queue, d.waited());
            }
        }
        // never above the highest priority waiting now, which is never shed (the higher ones may have drained)
        Integer below = d.shedBelow() == null || bands.isEmpty() ? null
                : Math.min(d.shedBelow(), bands.get(0).priority());
        if (d.shedding() && below != null) {
            int deferred = store.shedding().defer(queue, below, DEFER_BATCH, now.plus(settings.defer()));
            if (deferred > 0) {
                state.deferred(queue, deferred);
                LOG.debugf("queue %s: deferred %d jobs of a priority below %d", queue, deferred, below);
            }
        }
    }
}
