package io.quarkiverse.shigoto.runtime.queue;

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

    /**
     * Jobs were stored and their transaction committed (own, JTA, a cron run's); never called for an insert whose
     * commit this node cannot see (a Hibernate Reactive transaction, a connection in manual commit outside JTA).
     *
     * @param node the node that inserted them
     */
    default void committed(List<JobView> jobs, String node) {
    }

    /** @return whether this listener wants to hear at all; one that does not is left out by {@link #of(List)} */
    default boolean listens() {
        return true;
    }

    /** Nobody listens. */
    InsertListener NONE = jobs -> {
    };

    /** @return one listener telling all of these that listen, {@link #NONE} for none */
    static InsertListener of(List<InsertListener> listeners) {
        List<InsertListener> all = listeners.stream().filter(InsertListener::listens).toList();
        if (all.isEmpty()) {
            return NONE;
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        return new InsertListener() {
            @Override
            public void inserted(List<JobView> jobs) {
                all.forEach(l -> l.inserted(jobs));
            }

            @Override
            public void committed(List<JobView> jobs, String node) {
                all.forEach(l -> l.committed(jobs, node));
            }
        };
    }
}
