package io.quarkiverse.shigoto.runtime.cluster;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.runtime.store.JobStore;

/**
 * Decides when an insert should wake the queues of every node. The first insert into a queue notifies inside its own
 * transaction (delivered at commit, so a rollback wakes nobody). Inserts during the following cooldown do not notify
 * (NOTIFY serialises commits, so one per insert would throttle every writer); instead one trailing notification goes
 * out when the cooldown ends, so a job inserted just after a wake-up still starts within the cooldown rather than
 * waiting for the poll interval.
 */
public final class InsertNotifier {

    private static final Logger LOG = Logger.getLogger(InsertNotifier.class);

    private final JobStore store;
    private final ScheduledExecutorService scheduler;
    private final long cooldownNanos;
    private final ConcurrentHashMap<String, Long> lastSent = new ConcurrentHashMap<>();
    private final Set<String> trailing = ConcurrentHashMap.newKeySet();

    public InsertNotifier(JobStore store, ScheduledExecutorService scheduler, Duration cooldown) {
        this.store = store;
        this.scheduler = scheduler;
        this.cooldownNanos = cooldown.toNanos();
    }

    /**
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
            } else if (trailing.add(queue)) {
                scheduler.schedule(() -> sendTrailing(queue), cooldownNanos, TimeUnit.NANOSECONDS);
            }
        }
        return now;
    }

    private void sendTrailing(String queue) {
        trailing.remove(queue);
        lastSent.put(queue, System.nanoTime());
        try (Connection c = store.dataSource().getConnection()) {
            store.inserts().notifyQueues(c, List.of(queue));
        } catch (Exception e) {
            LOG.debugf(e, "trailing wake-up of queue %s failed; the poll interval covers it", queue);
        }
    }
}
