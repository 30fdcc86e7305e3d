package io.quarkiverse.shigoto.runtime.client;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import io.quarkiverse.shigoto.runtime.ShigotoRuntime;
import io.quarkiverse.shigoto.runtime.store.JobInserts;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.quarkiverse.shigoto.runtime.store.NewJob;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Inserts through the Hibernate Reactive session of the current Vert.x context when it has a transaction open
 * ({@code @WithTransaction}, {@code Panache.withTransaction}), so the job commits or rolls back with the caller's
 * writes. Registered by the build only when Hibernate Reactive is present.
 */
public class HibernateReactiveJoin implements ReactiveTransactionJoin {

    @Inject
    Instance<Mutiny.SessionFactory> sessionFactory;

    @Inject
    ShigotoRuntime runtime;

    @Override
    public Uni<long[]> insertInCurrentTransaction(List<NewJob> jobs, Instant now, Supplier<List<String>> notifyQueues) {
        Mutiny.Session session = currentTransactionSession();
        if (session == null) {
            return null;
        }
        JobStore store = runtime.store();
        List<String> queues = notifyQueues.get();
        Uni<List<Object>> ids = session.createNativeQuery(store.inserts().insertJsonStatement())
                .setParameter(1, JobInserts.rowsJson(jobs))
                .setParameter(2, now.toString())
                .getResultList();
        return ids.call(ignored -> queues.isEmpty() ? Uni.createFrom().voidItem()
                : session.createNativeQuery(store.inserts().notifyJsonStatement())
                        .setParameter(1, store.schema().insertChannel())
                        .setParameter(2, JsonCodec.write(queues))
                        .getSingleResult())
                .map(HibernateReactiveJoin::longs);
    }

    private Mutiny.Session currentTransactionSession() {
        Context context = Vertx.currentContext();
        if (context == null || !VertxContext.isDuplicatedContext(context) || !sessionFactory.isResolvable()) {
            return null;
        }
        try {
            Mutiny.Session session = sessionFactory.get().getCurrentSession();
            return session != null && session.isOpen() && session.currentTransaction() != null ? session : null;
        } catch (IllegalStateException e) {
            return null;
        }
    }

    private static long[] longs(List<Object> values) {
        long[] ids = new long[values.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ((Number) values.get(i)).longValue();
        }
        return ids;
    }
}
