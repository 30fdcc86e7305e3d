package io.quarkiverse.shigoto.runtime.queue;

import java.util.Collection;
import java.util.List;

import io.quarkiverse.shigoto.runtime.store.ClaimedJob;

/**
 * Several listeners heard as one (the lifecycle events and the metrics). Each is asked once what it wants, so the
 * engine still builds nothing per job when none of them listens.
 */
public final class OutcomeListeners implements OutcomeListener {

    private final OutcomeListener[] starts;
    private final OutcomeListener[] outcomes;

    private OutcomeListeners(List<OutcomeListener> starts, List<OutcomeListener> outcomes) {
        this.starts = starts.toArray(OutcomeListener[]::new);
        this.outcomes = outcomes.toArray(OutcomeListener[]::new);
    }

    /** @return one listener for all of them: {@link OutcomeListener#NONE} for none, the one itself for one */
    public static OutcomeListener of(Collection<OutcomeListener> listeners) {
        List<OutcomeListener> starts = listeners.stream().filter(OutcomeListener::wantsStarts).toList();
        List<OutcomeListener> outcomes = listeners.stream().filter(OutcomeListener::wantsOutcomes).toList();
        if (starts.isEmpty() && outcomes.isEmpty()) {
            return NONE;
        }
        if (listeners.size() == 1) {
            return listeners.iterator().next();
        }
        return new OutcomeListeners(starts, outcomes);
    }

    @Override
    public boolean wantsStarts() {
        return starts.length > 0;
    }

    @Override
    public boolean wantsOutcomes() {
        return outcomes.length > 0;
    }

    @Override
    public void started(ClaimedJob job, String node) {
        for (OutcomeListener l : starts) {
            l.started(job, node);
        }
    }

    @Override
    public void stored(List<Stored> stored, String node) {
        for (OutcomeListener l : outcomes) {
            l.stored(stored, node);
        }
    }
}
