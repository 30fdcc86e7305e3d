package io.quarkiverse.shigoto.runtime.queue;

import java.util.List;

import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.Completion;

/**
 * Told about attempts as they start and once their outcomes are stored, for the lifecycle events.
 */
public interface OutcomeListener {

    /**
     * One stored outcome and the attempt it ends.
     *
     * @param job the attempt's job as claimed
     * @param completion the stored outcome
     * @param runNanos how long the attempt ran, or {@code -1} when it failed before reaching its worker (no worker for
     *        the kind, unreadable args)
     */
    record Stored(ClaimedJob job, Completion completion, long runNanos) {
    }

    /** @return whether anybody listens to starts; when not, nothing is built for them */
    default boolean wantsStarts() {
        return false;
    }

    /** @return whether anybody listens to outcomes; when not, nothing is built for them */
    boolean wantsOutcomes();

    /** An attempt is about to run, on the thread that runs it. */
    default void started(ClaimedJob job, String node) {
    }

    /** Outcomes were stored (on a callback thread, never the completer's). */
    void stored(List<Stored> outcomes, String node);

    /** Nobody listens. */
    OutcomeListener NONE = new OutcomeListener() {
        @Override
        public boolean wantsOutcomes() {
            return false;
        }

        @Override
        public void stored(List<Stored> outcomes, String node) {
        }
    };
}
