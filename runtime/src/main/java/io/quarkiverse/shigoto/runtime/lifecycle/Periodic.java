package io.quarkiverse.shigoto.runtime.lifecycle;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** A task a service runs on a scheduler with a fixed delay between runs, from its start until its stop. */
public final class Periodic {

    private final ScheduledExecutorService scheduler;
    private final long firstMillis;
    private final long everyMillis;
    private final Runnable task;
    private volatile ScheduledFuture<?> scheduled;

    /**
     * @param first the delay before the first run
     * @param every the delay between the end of one run and the start of the next
     */
    public Periodic(ScheduledExecutorService scheduler, Duration first, Duration every, Runnable task) {
        this.scheduler = scheduler;
        this.firstMillis = first.toMillis();
        this.everyMillis = Math.max(1, every.toMillis());
        this.task = task;
    }

    public void start() {
        scheduled = scheduler.scheduleWithFixedDelay(task, firstMillis, everyMillis, TimeUnit.MILLISECONDS);
    }

    /** Cancels the runs to come; a run under way finishes. */
    public void stop() {
        ScheduledFuture<?> s = scheduled;
        if (s != null) {
            s.cancel(false);
        }
    }
}
