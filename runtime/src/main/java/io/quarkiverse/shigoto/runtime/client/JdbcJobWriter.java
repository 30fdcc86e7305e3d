package io.quarkiverse.shigoto.runtime.client;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.store.NewJob;
import io.quarkiverse.shigoto.runtime.worker.JobRequests;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;

/**
 * Stores resolved jobs on the caller's JDBC connection, in its transaction: dependencies checked first, then the
 * {@link InsertPlan}, then the dependency edges; a dependent of an already failed job is decided before returning.
 */
final class JdbcJobWriter {

    /**
     * What was stored.
     *
     * @param views per request, the stored or found job
     * @param newAvailable the queues that got a job available now
     */
    record Written(List<JobView> views, Set<String> newAvailable) {
    }

    private JdbcJobWriter() {
    }

    static Written write(JobStore store, Connection c, List<NewJob> resolved, Instant now) throws SQLException {
        return write(store, c, resolved, now, null);
    }

    /** @param batch the batch every new job joins, or {@code null} */
    static Written write(JobStore store, Connection c, List<NewJob> resolved, Instant now, Long batch)
            throws SQLException {
        DependencyCheck deps = DependencyCheck.of(resolved, ids -> store.dependencies().states(c, ids));
        InsertPlan plan = new InsertPlan(deps.jobs());
        List<NewJob> plain = plan.plainJobs();
        List<JobView> plainViews = plain.isEmpty() ? List.of()
                : JobRequests.views(plain, store.inserts().insert(c, plain, now, batch), now);
        List<NewJob> unique = plan.uniqueJobs();
        List<JobView> uniqueViews = unique.isEmpty() ? List.of()
                : store.inserts().insertUnique(c, unique, now, false, batch);
        List<JobView> views = plan.views(plainViews, uniqueViews);
        String edges = plan.edgesJson(views);
        if (edges != null) {
            store.dependencies().insertEdges(c, edges);
        }
        if (deps.anyFailed()) {
            store.dependencies().resolveDependents(c, deps.failedParents(), now);
            // the views of those dependents still say pending; read them back as stored
            views = reread(store, c, views);
        }
        return new Written(views, InsertPlan.newAvailable(views));
    }

    /**
     * Stores a large batch of plain requests (see {@link JobRequests#plain}), resolving each one just before its row
     * is written, so resolving overlaps with the database parsing the rows already sent. An invalid request throws with
     * rows sent: only for a transaction the caller owns and rolls back.
     */
    static Written stream(JobStore store, Connection c, WorkerCatalog catalog, List<JobRequest> requests, Instant now,
            String traceparent) throws SQLException {
        return stream(store, c, catalog, requests, now, traceparent, null);
    }

    /** @param batch the batch every new job joins, or {@code null} */
    static Written stream(JobStore store, Connection c, WorkerCatalog catalog, List<JobRequest> requests, Instant now,
            String traceparent, Long batch) throws SQLException {
        long[] ids = new long[requests.size()];
        List<JobView> views = new ArrayList<>(requests.size());
        store.inserts().insertStreamed(c, ids, i -> {
            NewJob job = JobRequests.resolve(catalog, requests.get(i), now, traceparent);
            // the ids are reserved before the first job is made, so its view is made here too, during the COPY
            views.add(JobRequests.view(job, ids[i], now));
            return job;
        }, now, batch);
        List<JobView> stored = Collections.unmodifiableList(views);
        return new Written(stored, InsertPlan.newAvailable(stored));
    }

    private static List<JobView> reread(JobStore store, Connection c, List<JobView> views) throws SQLException {
        JobView[] fresh = new JobView[views.size()];
        for (int i = 0; i < fresh.length; i++) {
            JobView v = views.get(i);
            fresh[i] = v.conflict() ? v : store.job(c, v.id()).orElse(v);
        }
        return List.of(fresh);
    }
}
