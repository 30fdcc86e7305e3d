package io.quarkiverse.shigoto.runtime.maintenance;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.runtime.config.ShigotoConfig;
import io.quarkiverse.shigoto.runtime.lifecycle.NodeService;
import io.quarkiverse.shigoto.runtime.lifecycle.Periodic;
import io.quarkiverse.shigoto.runtime.store.MaintenanceStore;

/**
 * Deletes (or archives) completed, cancelled and discarded jobs once they have been finished for longer than their
 * state's retention, oldest first, with their dependency edges (a job a pending job still waits on stays until
 * that one is decided), in batches of one short statement each ({@code SKIP LOCKED}, read through the
 * finished-jobs index), so pruning a million rows never holds a lock claims wait for. Between batches it yields for
 * as long as the batch took, which caps its share of the database at about half of one connection. With an archive
 * retention, archived jobs older than it leave the archive the same way. Runs on the leader, every
 * {@code quarkus.shigoto.prune.interval}.
 */
public final class Pruner implements NodeService {

    private static final Logger LOG = Logger.getLogger(Pruner.class);
    /** Throughput counts are kept this long. */
    static final Duration STATS_RETENTION = Duration.ofDays(2);

    /**
     * What to prune.
     *
     * @param retention per finished state, how long a job stays after it finished; a state without an entry is kept
     * @param batchSize how many jobs one statement prunes at most
     * @param archive whether pruned jobs move to {@code shigoto_jobs_archive} instead of being deleted
     * @param archiveRetention how long an archived job stays in the archive, or {@code null} to keep it for ever
     */
    public record Settings(Map<JobState, Duration> retention, int batchSize, boolean archive,
            Duration archiveRetention) {

        /** Settings that keep archived jobs for ever. */
        public Settings(Map<JobState, Duration> retention, int batchSize, boolean archive) {
            this(retention, batchSize, archive, null);
        }
    }

    private final MaintenanceStore store;
    private final Clock clock;
    private final Settings settings;
    private final Duration every;
    private final BooleanSupplier leading;
    private final Periodic loop;
    private volatile boolean stopped;

    /** A pruner without a loop of its own: it prunes when {@link #prune} is called. */
    public Pruner(MaintenanceStore store, Clock clock, Settings settings) {
        this(store, clock, settings, null, null, () -> true);
    }

    /**
     * @param every how often it prunes
     * @param thread the node's maintenance thread, which it shares with the rescuer
     * @param leading whether this node leads now: only the leader prunes, and it stops when it no longer leads
     */
    public Pruner(MaintenanceStore store, Clock clock, Settings settings, Duration every,
            ScheduledExecutorService thread, BooleanSupplier leading) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.every = every;
        this.leading = leading;
        this.loop = thread == null ? null : new Periodic(thread, every, every, this::tick);
    }

    /** @return what is wrong with the pruning settings, one sentence per problem naming its property */
    public static List<String> problems(ShigotoConfig.PruneConfig prune) {
        List<String> problems = new ArrayList<>();
        retention(prune).forEach((state, keep) -> {
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
        return problems;
    }

    /** @return what the configuration prunes (see {@link #problems} first), or {@code null} when pruning is off */
    public static Settings settings(ShigotoConfig.PruneConfig prune) {
        return prune.enabled() ? new Settings(retention(prune), prune.batchSize(),
                prune.mode() == ShigotoConfig.PruneMode.ARCHIVE, prune.archiveRetention().orElse(null)) : null;
    }

    private static Map<JobState, Duration> retention(ShigotoConfig.PruneConfig prune) {
        Map<JobState, Duration> retention = new EnumMap<>(JobState.class);
        retention.put(JobState.COMPLETED, prune.completed());
        retention.put(JobState.CANCELLED, prune.cancelled());
        retention.put(JobState.DISCARDED, prune.discarded());
        return retention;
    }

    @Override
    public void start() {
        if (loop == null) {
            throw new IllegalStateException("this pruner has no loop: call prune()");
        }
        loop.start();
    }

    @Override
    public void stop() {
        stopped = true;
        if (loop != null) {
            loop.stop();
        }
    }

    /** Prunes while this node leads and the node runs; runs on the maintenance thread. */
    private void tick() {
        if (!leading.getAsBoolean()) {
            return;
        }
        try {
            prune(() -> leading.getAsBoolean() && !stopped);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warnf("shigoto could not prune finished jobs (%s); trying again in %s", e.getMessage(), every);
        }
    }

    /**
     * Prunes every state until nothing is left to prune or {@code keepGoing} says stop (leadership lost, shutdown).
     *
     * @return how many jobs were pruned, per state
     */
    public Map<JobState, Long> prune(BooleanSupplier keepGoing) throws SQLException, InterruptedException {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (Map.Entry<JobState, Duration> e : settings.retention().entrySet()) {
            JobState state = e.getKey();
            Duration keep = e.getValue();
            long total = inBatches(keepGoing, now -> store.prune(state, now.minus(keep), settings.batchSize(),
                    settings.archive(), now).length);
            if (total > 0) {
                counts.put(state, total);
            }
        }
        Duration archived = settings.archiveRetention();
        long fromArchive = archived == null ? 0
                : inBatches(keepGoing, now -> store.pruneArchive(now.minus(archived), settings.batchSize()));
        Duration batches = batchRetention(settings);
        long finishedBatches = batches == null ? 0
                : inBatches(keepGoing, now -> store.pruneBatches(now.minus(batches), settings.batchSize()));
        store.pruneStats(clock.instant().minus(STATS_RETENTION));
        if (finishedBatches > 0) {
            LOG.debugf("shigoto deleted %d finished batches", finishedBatches);
        }
        if (!counts.isEmpty()) {
            LOG.debugf("shigoto %s finished jobs: %s", settings.archive() ? "archived" : "pruned", counts);
        }
        if (fromArchive > 0) {
            LOG.debugf("shigoto deleted %d archived jobs", fromArchive);
        }
        return counts;
    }

    /**
     * How long a finished batch (or workflow) is kept: as long as the longest-kept of its members, so that a batch
     * outlives the job rows its page lists. Deleted jobs: the longest retention of a finished state; archived jobs:
     * the archive's retention, and for ever while the archive keeps its jobs for ever.
     *
     * @return the retention, or {@code null} to keep finished batches
     */
    static Duration batchRetention(Settings settings) {
        if (settings.archive()) {
            return settings.archiveRetention();
        }
        return settings.retention().values().stream().max(Duration::compareTo).orElse(null);
    }

    /** One pruning statement, given the current time. */
    private interface Batch {
        int run(Instant now) throws SQLException;
    }

    /** Runs batches until one comes back short or {@code keepGoing} says stop; @return how many rows they pruned */
    private long inBatches(BooleanSupplier keepGoing, Batch batch) throws SQLException, InterruptedException {
        long total = 0;
        while (keepGoing.getAsBoolean()) {
            long started = System.nanoTime();
            int pruned = batch.run(clock.instant());
            total += pruned;
            if (pruned < settings.batchSize()) {
                break;
            }
            // give claims and completions the other half of the time
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            Thread.sleep(Math.min(tookMillis, 1_000));
        }
        return total;
    }
}
