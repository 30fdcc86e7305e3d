package io.quarkiverse.shigoto.runtime.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.quarkiverse.shigoto.runtime.config.ConfiguredQueues;
import io.quarkiverse.shigoto.runtime.store.SheddingStore.Band;

/**
 * The decision of one queue's load shedding, CoDel-style and free of I/O: the wait of the oldest claimable job is
 * compared with the target; once it has stayed above for an interval the queue sheds its lowest priority, and one
 * more priority each further step while it stays above (the steps come faster, as CoDel's drops do: interval divided
 * by the square root of the steps so far); the highest priority waiting is never shed. Once the wait drops below the
 * target, the queue stops shedding.
 */
final class SheddingControl {

    /** What to do now: whether the queue sheds, and below which priority jobs are deferred ({@code null}: none). */
    record Decision(boolean shedding, Integer shedBelow, boolean changed, Duration waited) {
    }

    private final ConfiguredQueues.Shedding settings;
    private Instant aboveSince;
    private boolean shedding;
    private Integer shedBelow;
    private int steps;
    private Instant nextStep;

    SheddingControl(ConfiguredQueues.Shedding settings) {
        this.settings = settings;
    }

    /**
     * @param stored whether the stored state says the queue sheds (a new leader takes over from it)
     * @param bands the priorities with claimable jobs, highest first, with their oldest due time
     */
    Decision next(Instant now, boolean stored, List<Band> bands) {
        if (stored != shedding) {
            // another leader's decision, or a start: follow what is stored
            shedding = stored;
            shedBelow = null;
            steps = 0;
            nextStep = now;
        }
        Instant oldest = null;
        for (Band b : bands) {
            if (oldest == null || b.oldest().isBefore(oldest)) {
                oldest = b.oldest();
            }
        }
        Duration waited = oldest == null || oldest.isAfter(now) ? Duration.ZERO : Duration.between(oldest, now);
        if (waited.compareTo(settings.target()) < 0) {
            aboveSince = null;
            if (shedding) {
                shedding = false;
                shedBelow = null;
                steps = 0;
                return new Decision(false, null, true, waited);
            }
            return new Decision(false, null, false, waited);
        }
        if (aboveSince == null) {
            aboveSince = now;
        }
        if (!shedding) {
            if (Duration.between(aboveSince, now).compareTo(settings.interval()) < 0) {
                return new Decision(false, null, false, waited);
            }
            shedding = true;
            steps = 0;
            shedBelow = step(bands, null);
            steps = 1;
            nextStep = now.plus(settings.interval());
            return new Decision(true, shedBelow, true, waited);
        }
        if (!now.isBefore(nextStep)) {
            Integer next = step(bands, shedBelow);
            boolean moved = next != null && !next.equals(shedBelow);
            if (moved) {
                shedBelow = next;
                steps++;
            }
            nextStep = now.plusNanos((long) (settings.interval().toNanos() / Math.sqrt(Math.max(1, steps))));
            return new Decision(true, shedBelow, moved, waited);
        }
        return new Decision(true, shedBelow, false, waited);
    }

    /**
     * @param bands the priorities waiting, highest first
     * @param current the priority jobs below which are shed now, or {@code null}
     * @return the next one up: one above the lowest waiting priority above the current level, but never above the
     *         highest waiting priority (which is never shed); the current one when there is none
     */
    static Integer step(List<Band> bands, Integer current) {
        if (bands.size() < 2) {
            return current;
        }
        int highest = bands.get(0).priority();
        for (int i = bands.size() - 1; i >= 1; i--) {
            int p = bands.get(i).priority();
            if (current == null || p >= current) {
                return p + 1 <= highest ? p + 1 : current;
            }
        }
        return current;
    }
}
