package io.quarkiverse.shigoto.runtime.client;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import io.quarkiverse.shigoto.runtime.store.NewJob;
import io.smallrye.mutiny.Uni;

/**
 * Runs an insert inside the caller's reactive transaction. Implemented for Hibernate Reactive when the application
 * has it; kept behind this interface so the runtime never loads Hibernate classes otherwise.
 */
public interface ReactiveTransactionJoin {

    /**
     * @param notifyQueues the queues to wake at commit, asked only when the insert joins a transaction
     * @return the ids of the inserted jobs in request order, or {@code null} when no reactive transaction is open on
     *         the current context
     */
    Uni<long[]> insertInCurrentTransaction(List<NewJob> jobs, Instant now, Supplier<List<String>> notifyQueues);
}
