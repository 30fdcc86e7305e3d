package io.quarkiverse.shigoto;

import java.time.Duration;
import java.util.List;

/**
 * What {@link Shigoto#reencrypt()} did: every stored job whose args or meta were encrypted with another key than the
 * primary, re-encrypted with the primary in batches.
 *
 * @param primary the key the jobs are encrypted with now
 * @param reencrypted how many jobs were re-encrypted
 * @param locked how many were locked by a claim or a completion while the run passed them, and left for the next run
 * @param failed how many could not be decrypted on this node (a key it lacks, a value that fails authentication); they
 *        are left as they are, and fail their attempts naming the key
 * @param failedIds the ids of the first of those, at most 100
 * @param took how long the run took
 */
public record Reencryption(String primary, long reencrypted, long locked, long failed, List<Long> failedIds,
        Duration took) {

    /** The most ids {@link #failedIds()} lists. */
    public static final int MAX_FAILED_IDS = 100;

    public Reencryption {
        failedIds = List.copyOf(failedIds);
    }

    /** @return whether every job is now encrypted with the primary key (nothing locked or failed was left behind) */
    public boolean complete() {
        return locked == 0 && failed == 0;
    }
}
