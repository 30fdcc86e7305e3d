package io.quarkiverse.shigoto.runtime.queue;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.runtime.store.JobControls;
import io.quarkiverse.shigoto.runtime.store.JobControls.Progress;

/**
 * Writes the progress running attempts report, coalesced: an attempt joins the next batch once however often it
 * reports, and the batch stores each attempt's latest value in one statement.
 */
public final class ProgressWriter {

    private static final Logger LOG = Logger.getLogger(ProgressWriter.class);
    static final long INTERVAL_MILLIS = 250;

    /** Stores a batch of progress. */
    @FunctionalInterface
    public interface Store {
        void write(List<Progress> batch) throws SQLException;
    }

    private final Store store;
    private final Consumer<List<Progress>> written;
    private final Queue<RunningAttempt> queued = new ConcurrentLinkedQueue<>();
    private final ScheduledFuture<?> task;

    /**
     * @param store writes a batch ({@link JobControls#progress(List)})
     * @param written told what was written, to announce it
     */
    public ProgressWriter(Store store, ScheduledExecutorService timer, Consumer<List<Progress>> written) {
        this(store, timer, written, INTERVAL_MILLIS);
    }

    ProgressWriter(Store store, ScheduledExecutorService timer, Consumer<List<Progress>> written, long intervalMillis) {
        this.store = store;
        this.written = written;
        this.task = timer.scheduleWithFixedDelay(this::flush, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    void queue(RunningAttempt attempt) {
        queued.add(attempt);
    }

    /** Writes what is queued, then stops writing. */
    public void stop() {
        task.cancel(false);
        flush();
    }

    private void flush() {
        List<Progress> batch = new ArrayList<>();
        for (RunningAttempt a; (a = queued.poll()) != null;) {
            int p = a.takeProgress();
            if (p != RunningAttempt.NO_PROGRESS) {
                batch.add(new Progress(a.job().id(), a.job().kind(), a.job().queue(), a.job().attempt(), p));
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            store.write(batch);
            written.accept(batch);
        } catch (Exception e) {
            LOG.debugf(e, "could not store the progress of %d jobs; their next report will",
                    batch.size());
        }
    }
}
