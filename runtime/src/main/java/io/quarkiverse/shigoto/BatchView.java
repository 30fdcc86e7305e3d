package io.quarkiverse.shigoto;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A batch as stored, answered by {@link Shigoto#batch(long)}.
 *
 * @param id the batch's id
 * @param name its name, or {@code null}
 * @param state open, running or finished
 * @param total how many members it has
 * @param completed members that completed
 * @param discarded members that were discarded
 * @param cancelled members that were cancelled
 * @param deleted members deleted before they finished
 * @param members the members by state: those not finished as they are now, the finished ones as counted (so also
 *        those pruned since); states without members are left out
 * @param progress 0 to 100: the members' progress averaged, a finished (or deleted) member counting 100
 * @param callbacks the callbacks, with the jobs a finished batch inserted for them
 * @param meta its metadata
 * @param insertedAt when it was inserted
 * @param finishedAt when its last member finished, or {@code null}
 */
public record BatchView(long id, String name, BatchState state, int total, int completed, int discarded,
        int cancelled, int deleted, Map<JobState, Integer> members, int progress, List<Callback> callbacks,
        Map<String, Object> meta, Instant insertedAt, Instant finishedAt) {

    /**
     * One callback of a batch.
     *
     * @param on the outcome it waits for: {@code completed}, {@code discarded}, {@code cancelled} or {@code finished}
     * @param kind the kind of its job
     * @param queue the queue of its job
     * @param jobId the job the batch's finish inserted for it, or {@code null} when it has not (yet, or at all, as
     *        its outcome did not happen)
     */
    public record Callback(String on, String kind, String queue, Long jobId) {
    }

    /** @return how many members finished (or were deleted before they finished) */
    public int finished() {
        return completed + discarded + cancelled + deleted;
    }
}
