package io.quarkiverse.shigoto.runtime.client;

import java.util.List;

import io.quarkiverse.shigoto.JobView;

/**
 * Told about the jobs the clients stored (the metrics count them). A listener must be cheap and must not throw: it runs
 * on the inserting thread.
 */
public interface InsertListener {

    /**
     * Jobs were stored: after the commit of an insert in its own or a JTA transaction, after the statement for an
     * insert that joined a Hibernate Reactive transaction (which may still roll back).
     *
     * @param jobs the answered jobs, including unique ones that were found instead of stored ({@link JobView#conflict()})
     */
    void inserted(List<JobView> jobs);

    /** Nobody listens. */
    InsertListener NONE = jobs -> {
    };

    /** @return one listener telling all of these, {@link #NONE} for none */
    static InsertListener of(List<InsertListener> listeners) {
        if (listeners.isEmpty()) {
            return NONE;
        }
        if (listeners.size() == 1) {
            return listeners.get(0);
        }
        List<InsertListener> all = List.copyOf(listeners);
        return jobs -> all.forEach(l -> l.inserted(jobs));
    }
}
