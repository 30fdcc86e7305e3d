package io.quarkiverse.shigoto.testing;

/**
 * What {@link ShigotoTesting#drainQueue} ran, counted by the state each attempt left its job in (as stored).
 *
 * @param completed attempts that completed their job
 * @param failed attempts that failed with attempts left (the job is retryable)
 * @param snoozed attempts that snoozed their job
 * @param discarded attempts that failed for the last time (or timed out on it)
 * @param cancelled attempts that cancelled their job
 */
public record Drained(int completed, int failed, int snoozed, int discarded, int cancelled) {

    /** @return how many attempts ran */
    public int ran() {
        return completed + failed + snoozed + discarded + cancelled;
    }

    Drained plus(Drained other) {
        return new Drained(completed + other.completed, failed + other.failed, snoozed + other.snoozed,
                discarded + other.discarded, cancelled + other.cancelled);
    }
}
