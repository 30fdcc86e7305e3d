package io.quarkiverse.shigoto.runtime.maintenance;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.runtime.lifecycle.NodeService;
import io.quarkiverse.shigoto.runtime.store.Dependencies.Resolution;
import io.quarkiverse.shigoto.runtime.store.JobControls.Changed;
import io.quarkiverse.shigoto.runtime.store.JobStore;

/**
 * Makes scheduled and retryable jobs available when they fall due, then wakes their queues. It sleeps until the
 * earliest due job or the stage interval, whichever is sooner, so a retry after a short backoff is not delayed by a
 * whole interval. Once per interval it also sweeps a batch of pending jobs whose dependencies may have finished
 * unnoticed (see {@link io.quarkiverse.shigoto.runtime.store.Dependencies#resolvePending}).
 * <p>
 * The periodic staging and the sweep run on the leader only. Every node still stages at once the jobs it was told
 * about itself (a short snooze or backoff of a job it ran), so those do not wait for the leader's next round, and a
 * change of leader leaves no gap for them.
 */
public final class JobStager implements NodeService {

    private static final Logger LOG = Logger.getLogger(JobStager.class);
    static final int BATCH = 5_000;

    private final JobStore store;
    private final Clock clock;
    private final long intervalMillis;
    private final Consumer<Set<String>> onAvailable;
    private final BooleanSupplier leading;
    private long hintMillis = Long.MAX_VALUE;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile long plannedRunMillis;
    private long sweepCursor;
    private long nextSweepNanos = System.nanoTime();

    /**
     * @param onAvailable told which queues got jobs, to wake them here and on other nodes
     * @param leading whether this node leads, and so stages every due job
     */
    public JobStager(JobStore store, Clock clock, Duration interval, Consumer<Set<String>> onAvailable,
            BooleanSupplier leading) {
        this.store = store;
        this.clock = clock;
        this.intervalMillis = Math.max(10, interval.toMillis());
        this.onAvailable = onAvailable;
        this.leading = leading;
        this.thread = new Thread(this::run, "shigoto-stager");
        this.thread.setDaemon(true);
    }

    @Override
    public void start() {
        thread.start();
    }

    @Override
    public void stop() {
        stopping = true;
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * Tells the stager that a job falls due at {@code at} (just snoozed, or failed with a short backoff): if that is
     * before its next planned run, it looks again now and plans for it.
     */
    public void dueAt(Instant at) {
        synchronized (this) {
            hintMillis = Math.min(hintMillis, at.toEpochMilli());
            if (at.toEpochMilli() < plannedRunMillis) {
                notifyAll();
            }
        }
    }

    /** @return whether a job this node was told about is due, forgetting that hint */
    private synchronized boolean hintDue() {
        if (hintMillis <= clock.millis()) {
            hintMillis = Long.MAX_VALUE;
            return true;
        }
        return false;
    }

    private synchronized long untilHint() {
        return hintMillis == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, hintMillis - clock.millis());
    }

    private void sweep() throws SQLException {
        Resolution swept = store.dependencies().resolvePending(sweepCursor, clock.instant());
        sweepCursor = swept.cursor();
        Set<String> queues = new LinkedHashSet<>();
        for (Changed c : swept.changed()) {
            if (c.state() == JobState.AVAILABLE) {
                queues.add(c.queue());
            }
        }
        if (!queues.isEmpty()) {
            onAvailable.accept(queues);
        }
    }

    private void run() {
        while (!stopping) {
            long waitMillis = intervalMillis;
            try {
                boolean leader = leading.getAsBoolean();
                if (leader | hintDue()) {
                    Map<String, Integer> staged = store.stage(clock.instant(), BATCH);
                    if (!staged.isEmpty()) {
                        onAvailable.accept(staged.keySet());
                    }
                    int total = staged.values().stream().mapToInt(Integer::intValue).sum();
                    if (total >= BATCH) {
                        continue;
                    }
                }
                if (leader) {
                    if (System.nanoTime() - nextSweepNanos >= 0) {
                        nextSweepNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(intervalMillis);
                        sweep();
                    }
                    Optional<Instant> next = store.nextDue();
                    if (next.isPresent()) {
                        long untilDue = Duration.between(clock.instant(), next.get()).toMillis() + 1;
                        waitMillis = Math.max(1, Math.min(intervalMillis, untilDue));
                    }
                } else {
                    waitMillis = Math.min(intervalMillis, untilHint());
                }
            } catch (Exception e) {
                LOG.warnf(e, "shigoto could not stage due jobs; retrying in %d ms", intervalMillis);
            }
            synchronized (this) {
                plannedRunMillis = clock.millis() + waitMillis;
                if (stopping) {
                    return;
                }
                try {
                    wait(waitMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
