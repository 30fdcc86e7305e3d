package io.quarkiverse.shigoto.runtime.queue;

import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

/**
 * Finds the attempts that run past their timeout. One task on the timer checks every running attempt's deadline each
 * {@link JobExecutor#WATCH_MILLIS}, instead of a timer task scheduled and cancelled per attempt (with dozens of
 * workers, the timer queue's lock was among the hottest spots of the engine). The watchdog stops when no attempt runs,
 * and the next attempt starts it again; at most one is ever scheduled.
 */
final class Watchdog {

    private static final Logger LOG = Logger.getLogger(Watchdog.class);

    private final Map<Long, RunningAttempt> running;
    private final ScheduledExecutorService timer;
    private final Consumer<RunningAttempt> timeOut;
    private final AtomicBoolean watching = new AtomicBoolean();

    /**
     * @param running the attempts that run on this node, by job id: the executor's map, only read here
     * @param timeOut what becomes of an attempt past its deadline, called on the timer's thread
     */
    Watchdog(Map<Long, RunningAttempt> running, ScheduledExecutorService timer, Consumer<RunningAttempt> timeOut) {
        this.running = running;
        this.timer = timer;
        this.timeOut = timeOut;
    }

    /**
     * Makes sure the watchdog runs, as an attempt starts.
     *
     * @throws RuntimeException when the timer refuses the task (it is shut down: the node is stopping)
     */
    void watch() {
        if (!watching.get() && watching.compareAndSet(false, true)) {
            try {
                timer.schedule(this::check, JobExecutor.WATCH_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                watching.set(false);
                throw e;
            }
        }
    }

    private void check() {
        long now = System.nanoTime();
        for (RunningAttempt attempt : running.values()) {
            if (attempt.pastDeadline(now)) {
                try {
                    timeOut.accept(attempt);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "shigoto could not time out attempt %d of job %d", attempt.job().attempt(),
                            attempt.job().id());
                }
            }
        }
        // stand down, then take the watch again if attempts still run and no starting attempt took it meanwhile
        watching.set(false);
        if (!running.isEmpty() && watching.compareAndSet(false, true)) {
            try {
                timer.schedule(this::check, JobExecutor.WATCH_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                // the timer is shut down: the node is stopping
                watching.set(false);
            }
        }
    }
}
