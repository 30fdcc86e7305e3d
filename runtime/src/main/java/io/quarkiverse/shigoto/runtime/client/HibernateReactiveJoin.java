package io.quarkiverse.shigoto.runtime.client;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.runtime.store.JobInserts;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.quarkiverse.shigoto.runtime.store.NewJob;
import io.quarkiverse.shigoto.runtime.worker.JobRequests;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.DatabaseException;

/**
 * Inserts through the Hibernate Reactive session of the current Vert.x context when it has a transaction open
 * ({@code @WithTransaction}, {@code Panache.withTransaction}), so the job commits or rolls back with the caller's
 * writes. The steps are the JDBC writer's (dependencies checked, {@link InsertPlan}, edges, wake-ups), run as native
 * queries. A job whose dependency had already failed stays pending until the stager's sweep cancels it (within a
 * stage interval), since the resolution statement cannot run through Hibernate's parameter syntax. Registered by the
 * build only when Hibernate Reactive is present.
 */
public class HibernateReactiveJoin implements ReactiveTransactionJoin {

    @Inject
    Instance<Mutiny.SessionFactory> sessionFactory;

    @Inject
    JobStore store;

    @Override
    public Uni<List<JobView>> insertInCurrentTransaction(List<NewJob> jobs, Instant now,
            Function<Collection<String>, List<String>> notifyQueues) {
        Mutiny.Session session = currentTransactionSession();
        if (session == null) {
            return null;
        }
        return dependencyCheck(session, store, jobs)
                .flatMap(check -> insert(session, store, new InsertPlan(check.jobs()), now))
                .call(views -> notify(session, store, notifyQueues.apply(InsertPlan.newAvailable(views))))
                .onFailure(HibernateReactiveJoin::deadlock)
                .transform(e -> Deadlocks.inCallersTransaction("insert " + jobs.size() + " job(s)", e));
    }

    @Override
    public boolean inTransaction() {
        return currentTransactionSession() != null;
    }

    /** @return whether PostgreSQL aborted the transaction as a deadlock victim, however the driver's error is wrapped */
    static boolean deadlock(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DatabaseException d && Deadlocks.DEADLOCK.equals(d.getSqlState())
                    || t instanceof SQLException s && Deadlocks.DEADLOCK.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private Uni<DependencyCheck> dependencyCheck(Mutiny.Session session, JobStore store, List<NewJob> jobs) {
        long[] parents = DependencyCheck.parentIds(jobs);
        if (parents.length == 0) {
            return Uni.createFrom().item(() -> DependencyCheck.apply(jobs, Map.of()));
        }
        return session.<Object[]> createNativeQuery(store.dependencies().parentStatesJsonStatement())
                .setParameter(1, JsonCodec.write(parents))
                .getResultList()
                .map(rows -> {
                    Map<Long, JobState> states = new LinkedHashMap<>();
                    for (Object[] row : rows) {
                        states.put(((Number) row[0]).longValue(), JobState.fromDb((String) row[1]));
                    }
                    return DependencyCheck.apply(jobs, states);
                });
    }

    private Uni<List<JobView>> insert(Mutiny.Session session, JobStore store, InsertPlan plan, Instant now) {
        List<NewJob> plain = plan.plainJobs();
        List<NewJob> unique = plan.uniqueJobs();
        Uni<List<JobView>> plainViews = plain.isEmpty() ? Uni.createFrom().item(List.of())
                : session.createNativeQuery(store.inserts().insertJsonStatement())
                        .setParameter(1, JobInserts.rowsJson(plain))
                        .setParameter(2, now.toString())
                        .getResultList()
                        .map(ids -> JobRequests.views(plain, longs(ids), now));
        return plainViews.flatMap(stored -> {
            Uni<List<JobView>> uniqueViews = unique.isEmpty() ? Uni.createFrom().item(List.of())
                    : session.createNativeQuery(store.inserts().insertUniqueJsonStatement())
                            .setParameter(1, JobInserts.rowsJson(unique))
                            .setParameter(2, now.toString())
                            .setParameter(3, store.schema().insertChannel())
                            .setParameter(4, false)
                            .getResultList()
                            .map(rows -> {
                                List<JobView> views = new java.util.ArrayList<>(rows.size());
                                for (int i = 0; i < rows.size(); i++) {
                                    Object[] row = (Object[]) rows.get(i);
                                    views.add(JobInserts.uniqueView(unique.get(i), ((Number) row[0]).longValue(),
                                            (String) row[1], now));
                                }
                                return views;
                            });
            return uniqueViews.map(found -> plan.views(stored, found));
        }).call(views -> {
            String edges = plan.edgesJson(views);
            return edges == null ? Uni.createFrom().voidItem()
                    : session.createNativeQuery(store.dependencies().insertEdgesJsonStatement())
                            .setParameter(1, edges)
                            .executeUpdate();
        });
    }

    private static Uni<?> notify(Mutiny.Session session, JobStore store, List<String> queues) {
        return queues.isEmpty() ? Uni.createFrom().voidItem()
                : session.createNativeQuery(store.inserts().notifyJsonStatement())
                        .setParameter(1, store.schema().insertChannel())
                        .setParameter(2, JsonCodec.write(queues))
                        .getSingleResult();
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

    private static long[] longs(List<?> values) {
        long[] ids = new long[values.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ((Number) values.get(i)).longValue();
        }
        return ids;
    }
}
