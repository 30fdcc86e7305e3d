package io.quarkiverse.shigoto.runtime.client;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.runtime.store.NewJob;
import io.smallrye.mutiny.Uni;

/**
 * Runs an insert inside the caller's reactive transaction. Implemented for Hibernate Reactive when the application
 * has it; kept behind this interface so the runtime never loads Hibernate classes otherwise.
 */
public interface ReactiveTransactionJoin {

    /**
     * @param notifyQueues given the queues that got jobs available now, the ones to wake at commit
     * @return per request, the stored job (or the existing one of a unique conflict), or {@code null} when no
     *         reactive transaction is open on the current context
     */
    Uni<List<JobView>> insertInCurrentTransaction(List<NewJob> jobs, Instant now,
            Function<Collection<String>, List<String>> notifyQueues);

    /** @return whether a reactive transaction is open on the current context */
    boolean inTransaction();
}
