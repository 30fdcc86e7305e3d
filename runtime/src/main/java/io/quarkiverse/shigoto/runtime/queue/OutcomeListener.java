package io.quarkiverse.shigoto.runtime.queue;

import java.util.List;

import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.Completion;

/**
 * Told about attempts as they start and once their outcomes are stored, for the lifecycle events.
 */
public interface OutcomeListener {

    /** One stored outcome and the attempt it ends. */
    record Stored(ClaimedJob job, Completion completion) {
    }

    /** @return whether anybody listens to starts; when not, nothing is built for them */
    boolean wantsStarts();

    /** @return whether anybody listens to outcomes; when not, nothing is built for them */
    boolean wantsOutcomes();

    /** An attempt is about to run, on the thread that runs it. */
    void started(ClaimedJob job, String node);

    /** Outcomes were stored (on a callback thread, never the completer's). */
    void stored(List<Stored> outcomes, String node);

    /** Nobody listens. */
    OutcomeListener NONE = new OutcomeListener() {
        @Override
        public boolean wantsStarts() {
            return false;
        }

        @Override
        public boolean wantsOutcomes() {
            return false;
        }

        @Override
        public void started(ClaimedJob job, String node) {
        }

        @Override
        public void stored(List<Stored> outcomes, String node) {
        }
    };
}
