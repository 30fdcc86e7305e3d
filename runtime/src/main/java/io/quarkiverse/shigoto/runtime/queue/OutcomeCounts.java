package io.quarkiverse.shigoto.runtime.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.runtime.store.MaintenanceStore.Counts;

/**
 * This node's stored outcomes per minute and queue, counted in memory by the completer (once per batch, not per job
 * write) and handed to the database with the heartbeat, where the dashboard's throughput chart reads them. Counts of
 * the last few seconds die with a killed node; a chart can live with that, a hot path with another write could not.
 */
public final class OutcomeCounts {

    private record Key(Instant minute, String queue) {
    }

    // completed, failed (retryable), discarded, cancelled
    private Map<Key, int[]> counts = new HashMap<>();

    /** @return the slot of a state in a count array (completed, failed, discarded, cancelled), or -1 for others */
    static int slot(JobState state) {
        return switch (state) {
            case COMPLETED -> 0;
            case RETRYABLE -> 1;
            case DISCARDED -> 2;
            case CANCELLED -> 3;
            default -> -1;
        };
    }

    /** Adds the outcomes of one queue in one minute, by {@link #slot}. */
    synchronized void add(Instant minute, String queue, int[] bySlot) {
        int[] c = counts.computeIfAbsent(new Key(minute, queue), k -> new int[4]);
        for (int i = 0; i < 4; i++) {
            c[i] += bySlot[i];
        }
    }

    /** @return the counts since the last call, which start over */
    public List<Counts> drain() {
        Map<Key, int[]> taken;
        synchronized (this) {
            if (counts.isEmpty()) {
                return List.of();
            }
            taken = counts;
            counts = new HashMap<>();
        }
        List<Counts> list = new ArrayList<>(taken.size());
        taken.forEach((k, c) -> list.add(new Counts(k.minute(), k.queue(), c[0], c[1], c[2], c[3])));
        return list;
    }

    /** Puts counts that could not be stored back, to go with the next heartbeat. */
    public synchronized void restore(List<Counts> failed) {
        for (Counts n : failed) {
            int[] c = counts.computeIfAbsent(new Key(n.minute(), n.queue()), k -> new int[4]);
            c[0] += n.completed();
            c[1] += n.failed();
            c[2] += n.discarded();
            c[3] += n.cancelled();
        }
    }
}
