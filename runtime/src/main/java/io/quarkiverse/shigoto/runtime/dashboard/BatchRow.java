package io.quarkiverse.shigoto.runtime.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

import io.quarkiverse.shigoto.BatchState;
import io.quarkiverse.shigoto.runtime.store.BatchStore;

/**
 * A batch or workflow as the batches and workflows pages list it.
 *
 * @param batch its counters
 * @param state its state's name: open, running or finished
 * @param percent how many of its members finished, 0 to 100
 * @param insertedAgo when it was inserted, relative to now
 * @param duration how long it ran (until now while it runs): "4 min", "2 h"
 */
public record BatchRow(BatchStore.Summary batch, String state, int percent, String insertedAgo, String duration) {

    static BatchRow of(BatchStore.Summary b, Instant now) {
        int percent = b.total() == 0 ? (b.finishedAt() != null ? 100 : 0)
                : (int) Math.min(100, 100L * b.finished() / b.total());
        return new BatchRow(b, stateName(b.state()), percent, JobRow.relative(b.insertedAt(), now),
                duration(b.insertedAt(), b.finishedAt() != null ? b.finishedAt() : now));
    }

    static String stateName(BatchState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /** @return a short length of time: "850 ms", "12 s", "4 min", "2 h", "3 d" */
    static String duration(Instant from, Instant to) {
        if (from == null || to == null) {
            return "";
        }
        long ms = Math.max(0, Duration.between(from, to).toMillis());
        return ms < 1000 ? ms + " ms" : JobRow.amount(ms / 1000);
    }
}
