package io.quarkiverse.shigoto.runtime.maintenance;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.runtime.store.MaintenanceStore;

/**
 * Deletes (or archives) completed, cancelled and discarded jobs once they have been finished for longer than their
 * state's retention, oldest first, with their dependency edges (a job a pending job still waits on stays until
 * that one is decided), in batches of one short statement each ({@code SKIP LOCKED}, read through the
 * finished-jobs index), so pruning a million rows never holds a lock claims wait for. Between batches it yields for
 * as long as the batch took, which caps its share of the database at about half of one connection. Runs on the
 * leader.
 */
public final class Pruner {

    private static final Logger LOG = Logger.getLogger(Pruner.class);
    /** Throughput counts are kept this long. */
    static final Duration STATS_RETENTION = Duration.ofDays(2);

    /**
     * What to prune.
     *
     * @param retention per finished state, how long a job stays after it finished; a state without an entry is kept
     * @param batchSize how many jobs one statement prunes at most
     * @param archive whether pruned jobs move to {@code shigoto_jobs_archive} instead of being deleted
     */
    public record Settings(Map<JobState, Duration> retention, int batchSize, boolean archive) {
    }

    private final MaintenanceStore store;
    private final Clock clock;
    private final Settings settings;

    public Pruner(MaintenanceStore store, Clock clock, Settings settings) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
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
            long total = 0;
            while (keepGoing.getAsBoolean()) {
                Instant now = clock.instant();
                long started = System.nanoTime();
                long[] ids = store.prune(state, now.minus(e.getValue()), settings.batchSize(), settings.archive(), now);
                total += ids.length;
                if (ids.length < settings.batchSize()) {
                    break;
                }
                // give claims and completions the other half of the time
                long tookMillis = (System.nanoTime() - started) / 1_000_000;
                Thread.sleep(Math.min(tookMillis, 1_000));
            }
            if (total > 0) {
                counts.put(state, total);
            }
        }
        store.pruneStats(clock.instant().minus(STATS_RETENTION));
        if (!counts.isEmpty()) {
            LOG.debugf("shigoto %s finished jobs: %s", settings.archive() ? "archived" : "pruned", counts);
        }
        return counts;
    }
}
