package io.quarkiverse.shigoto.runtime.maintenance;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.runtime.lifecycle.NodeService;
import io.quarkiverse.shigoto.runtime.store.CronStore;
import io.quarkiverse.shigoto.runtime.store.CronStore.CronRow;
import io.quarkiverse.shigoto.runtime.worker.JobRequests;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;

/**
 * Inserts the jobs of cron entries at their scheduled minutes. Its thread ticks at every minute boundary; a tick runs
 * each entry's minutes that are due, oldest first, including those missed while no node was up as long as they are
 * within the entry's catch-up window, and skips older ones.
 * <p>
 * Exactly once per minute across the cluster does not depend on which nodes tick: a run moves the entry's cursor in
 * the database forward to its minute, in the transaction that inserts the job, and a node that finds the cursor at or
 * past that minute inserts nothing (see {@link CronStore}). Every node may tick; leadership only saves work.
 */
public final class CronScheduler implements NodeService {

    private static final Logger LOG = Logger.getLogger(CronScheduler.class);
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final long MINUTE_MILLIS = MINUTE.toMillis();

    private final CronStore store;
    private final WorkerCatalog catalog;
    private final List<CronEntry> entries;
    private final Map<String, String> schedules = new TreeMap<>();
    private final Clock clock;
    private final BooleanSupplier leading;
    private final LongConsumer ran;
    private final Thread thread;
    private volatile boolean stopping;

    /**
     * @param entries the entries to run; disabled ones are left out
     * @param leading whether this node leads: only the leader's thread ticks (a tick on any node would be just as
     *        correct; this only saves the other nodes the work)
     * @param ran told the id of each job a run inserted, after its commit (the metrics count it)
     */
    public CronScheduler(CronStore store, WorkerCatalog catalog, List<CronEntry> entries, Clock clock,
            BooleanSupplier leading, LongConsumer ran) {
        this.store = store;
        this.catalog = catalog;
        this.entries = entries.stream().filter(CronEntry::enabled).toList();
        this.entries.forEach(e -> schedules.put(e.name(), e.scheduleKey()));
        this.clock = clock;
        this.leading = leading;
        this.ran = ran;
        this.thread = new Thread(this::run, "shigoto-cron");
        this.thread.setDaemon(true);
    }

    /** Starts ticking at every minute boundary, with a first tick now (which catches up); no thread without entries. */
    @Override
    public void start() {
        if (!entries.isEmpty()) {
            thread.start();
        }
    }

    @Override
    public void stop() {
        stopping = true;
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * Does all the work due at {@code now}: registers new entries (their cursor starts before the current minute, so
     * nothing from before they existed runs), then runs each entry's due minutes.
     *
     * @return how many jobs this call inserted; minutes other nodes ran are not counted
     */
    public int tick(Instant now) throws SQLException {
        if (entries.isEmpty()) {
            return 0;
        }
        store.register(schedules, now.truncatedTo(ChronoUnit.MINUTES).minus(MINUTE));
        Map<String, CronRow> rows = store.rows();
        int inserted = 0;
        for (CronEntry e : entries) {
            CronRow row = rows.get(e.name());
            if (row == null || !row.schedule().equals(e.scheduleKey())) {
                // another node registered another schedule for it (a rolling deploy): its next tick re-registers ours
                continue;
            }
            try {
                inserted += runDue(e, row.handledThrough(), now);
            } catch (RuntimeException ex) {
                LOG.errorf(ex, "shigoto cron entry '%s' could not insert its job; it retries at the next tick", e.name());
            }
        }
        return inserted;
    }

    private int runDue(CronEntry e, Instant handled, Instant now) throws SQLException {
        Instant windowStart = now.truncatedTo(ChronoUnit.MINUTES).minus(e.catchUp());
        Instant at = e.schedule().next(handled);
        if (at != null && at.isBefore(windowStart)) {
            Instant through = windowStart.minus(MINUTE);
            if (store.skip(e.name(), through)) {
                LOG.warnf("shigoto cron entry '%s' skips its runs from %s until %s, missed while no node ran it: they"
                        + " are older than its catch-up window of %s", e.name(), at, windowStart, e.catchUp());
            }
            at = e.schedule().next(through);
        }
        int inserted = 0;
        while (at != null && !at.isAfter(now)) {
            OptionalLong id = store.run(e.name(), at, JobRequests.resolve(catalog, e.request(at), now), now);
            if (id.isEmpty()) {
                // another node is at or past this minute and runs the rest
                break;
            }
            inserted++;
            ran.accept(id.getAsLong());
            LOG.debugf("shigoto cron entry '%s' ran its %s run as job %d", e.name(), at, id.getAsLong());
            at = e.schedule().next(at);
        }
        return inserted;
    }

    private void run() {
        while (!stopping) {
            try {
                if (leading.getAsBoolean()) {
                    tick(clock.instant());
                }
            } catch (Exception e) {
                LOG.warnf(e, "shigoto could not run its cron entries; retrying at the next minute");
            }
            // a wait that ends early ticks once more: nothing is due twice
            long untilNextMinute = MINUTE_MILLIS - Math.floorMod(clock.millis(), MINUTE_MILLIS);
            synchronized (this) {
                if (stopping) {
                    return;
                }
                try {
                    wait(untilNextMinute);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
