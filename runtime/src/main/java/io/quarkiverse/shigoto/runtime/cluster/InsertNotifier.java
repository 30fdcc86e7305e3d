package io.quarkiverse.shigoto.runtime.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.runtime.queue.QueueProducer;

/**
 * Decides when an insert should wake the queues of every node.
 * <p>
 * A notification is only needed when no producer that already knows of the job will claim it soon. An insert whose
 * commit this node sees (autocommit, or a JTA transaction) wakes this node's own producer in-process afterwards; when
 * that producer runs, is not paused and has room for the new jobs, it claims them at once, so the insert sends no
 * notification at all. The producer then answers for them: should it end up unable to claim them
 * (its room went to other jobs, it paused or stopped) it asks for the notification itself ({@link #announce}). So a
 * node that runs the queue with free slots sends no notification however fast it inserts, and one that is full sends
 * at most one per cooldown.
 * <p>
 * Every other insert notifies: the first into a queue inside its own transaction (delivered at commit, so a rollback
 * wakes nobody); inserts during the following cooldown do not (NOTIFY serialises commits, so one per insert would
 * throttle every writer); instead one trailing notification goes out when the cooldown ends, so a job inserted just
 * after a wake-up still starts within the cooldown rather than waiting for the poll interval.
 */
public final class InsertNotifier {

    private static final Logger LOG = Logger.getLogger(InsertNotifier.class);

    private final NodeSignals signals;
    private final ScheduledExecutorService scheduler;
    private final long cooldownNanos;
    private final Supplier<LocalNode> here;
    private final ConcurrentHashMap<String, Long> lastSent = new ConcurrentHashMap<>();
    private final Set<String> trailing = ConcurrentHashMap.newKeySet();

    /**
     * @param signals sends the trailing notifications
     * @param here the engine running in this JVM, or {@code null} while none does
     */
    public InsertNotifier(NodeSignals signals, ScheduledExecutorService scheduler, Duration cooldown,
            Supplier<LocalNode> here) {
        this.signals = signals;
        this.scheduler = scheduler;
        this.cooldownNanos = cooldown.toNanos();
        this.here = here;
    }

    /**
     * For an insert whose commit this node does not see, so it cannot wake its own producers afterwards.
     *
     * @param queues the queues an insert wrote to
     * @return the queues to notify inside the inserting transaction; the others get a trailing notification
     */
    public List<String> queuesToNotify(Collection<String> queues) {
        List<String> now = new ArrayList<>(queues.size());
        long t = System.nanoTime();
        for (String queue : queues) {
            boolean[] send = new boolean[1];
            lastSent.compute(queue, (q, last) -> {
                if (last == null || t - last >= cooldownNanos) {
                    send[0] = true;
                    return t;
                }
                return last;
            });
            if (send[0]) {
                now.add(queue);
            } else {
                scheduleTrailing(queue, cooldownNanos);
            }
        }
        return now;
    }

    /**
     * For an insert after whose commit this node wakes its own producers of the queues (and hands them the queues
     * left out here, see {@link #announce}).
     *
     * @param queues the queues an insert wrote available jobs to
     * @param jobs how many available jobs it wrote (to any one queue at most)
     * @return the queues to notify inside the inserting transaction: those whose producer here cannot take the jobs
     */
    public List<String> queuesToNotify(Collection<String> queues, int jobs) {
        List<String> elsewhere = new ArrayList<>(queues.size());
        LocalNode node = here.get();
        for (String queue : queues) {
            QueueProducer p = node == null ? null : node.producer(queue);
            if (p == null || !p.fits(jobs)) {
                elsewhere.add(queue);
            }
        }
        return elsewhere.isEmpty() ? elsewhere : queuesToNotify(elsewhere);
    }

    /**
     * Once inserted jobs are committed, wakes this node's producers of their queues. The queues the insert did not
     * notify (see {@link #queuesToNotify(Collection, int)}) are handed to the producer, which answers for their jobs,
     * or announced to every node when it no longer runs.
     *
     * @param notified the queues the insert notified inside its transaction
     */
    public void afterCommit(Collection<String> queues, Collection<String> notified) {
        LocalNode node = here.get();
        for (String queue : queues) {
            QueueProducer p = node == null ? null : node.producer(queue);
            if (notified.contains(queue)) {
                if (p != null) {
                    p.wake();
                }
            } else if (p == null || !p.wakeForInserted()) {
                announce(queue);
            }
        }
    }

    /**
     * Notifies every node of jobs in a queue that were announced to no one but this node's producer, which cannot
     * claim them now. The notification leaves on a connection of its own, after the inserts committed, and at most one
     * per cooldown.
     */
    public void announce(String queue) {
        Long last = lastSent.get(queue);
        long wait = last == null ? 0 : Math.max(0, last + cooldownNanos - System.nanoTime());
        scheduleTrailing(queue, wait);
    }

    private void scheduleTrailing(String queue, long delayNanos) {
        if (trailing.add(queue)) {
            try {
                scheduler.schedule(() -> sendTrailing(queue), delayNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // the application is stopping
                trailing.remove(queue);
            }
        }
    }

    private void sendTrailing(String queue) {
        trailing.remove(queue);
        lastSent.put(queue, System.nanoTime());
        try {
            signals.notifyQueues(List.of(queue));
        } catch (Exception e) {
            LOG.debugf(e, "trailing wake-up of queue %s failed; the poll interval covers it", queue);
        }
    }
}
