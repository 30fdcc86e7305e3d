package io.quarkiverse.shigoto.runtime.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.shigoto.BatchRequest;
import io.quarkiverse.shigoto.BatchView;
import io.quarkiverse.shigoto.CircuitBreakerView;
import io.quarkiverse.shigoto.CronView;
import io.quarkiverse.shigoto.Delivery;
import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.QueueView;
import io.quarkiverse.shigoto.ReactiveShigoto;
import io.quarkiverse.shigoto.Reencryption;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.ShigotoException;
import io.quarkiverse.shigoto.Workflow;
import io.quarkiverse.shigoto.WorkflowView;
import io.quarkiverse.shigoto.runtime.cluster.InsertNotifier;
import io.quarkiverse.shigoto.runtime.queue.InsertListener;
import io.quarkiverse.shigoto.runtime.store.NewJob;
import io.quarkiverse.shigoto.runtime.worker.JobRequests;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The reactive client. Inside a Hibernate Reactive transaction it inserts through that transaction; everywhere else
 * it runs the blocking client on a worker thread, so it never blocks the event loop.
 */
@Singleton
public class ReactiveShigotoClient implements ReactiveShigoto {

    private final WorkerCatalog catalog;
    private final Clock clock;
    private final InsertNotifier notifier;
    private final InsertListener listener;
    private final Shigoto blocking;
    private final Instance<ReactiveTransactionJoin> join;

    /**
     * @param inserts every bean that hears about inserted jobs (the metrics)
     */
    @Inject
    public ReactiveShigotoClient(WorkerCatalog catalog, @Identifier("shigoto") Clock clock, InsertNotifier notifier,
            @Any Instance<InsertListener> inserts, Shigoto blocking, Instance<ReactiveTransactionJoin> join) {
        this.catalog = catalog;
        this.clock = clock;
        this.notifier = notifier;
        this.listener = InsertListener.of(inserts.stream().toList());
        this.blocking = blocking;
        this.join = join;
    }

    @Override
    public Uni<JobView> insert(JobRequest request) {
        return insertAll(List.of(request)).map(views -> views.get(0));
    }

    @Override
    public Uni<List<JobView>> insertAll(List<JobRequest> requests) {
        return Uni.createFrom().deferred(() -> {
            if (JobRequests.requireList(requests).isEmpty()) {
                return Uni.createFrom().item(List.<JobView> of());
            }
            if (join.isResolvable()) {
                Instant now = clock.instant();
                List<NewJob> jobs = JobRequests.resolve(catalog, requests, now, null);
                Uni<List<JobView>> joined = join.get().insertInCurrentTransaction(jobs, now,
                        queues -> notifier.queuesToNotify(queues));
                if (joined != null) {
                    // counted once stored: the caller's transaction may still roll back, and there is no cheap hook
                    // for its commit
                    return listener == InsertListener.NONE ? joined : joined.invoke(listener::inserted);
                }
            }
            return offloaded(() -> blocking.insertAll(requests));
        });
    }

    @Override
    public Uni<Optional<JobView>> job(long id) {
        return offloaded(() -> blocking.job(id));
    }

    @Override
    public Uni<List<Delivery>> deliveries(long id) {
        return offloaded(() -> blocking.deliveries(id));
    }

    @Override
    public Uni<List<JobView>> jobs(JobFilter filter, long afterId, int limit) {
        return offloaded(() -> blocking.jobs(filter, afterId, limit));
    }

    @Override
    public Uni<Boolean> cancel(long id) {
        return offloaded(() -> blocking.cancel(id));
    }

    @Override
    public Uni<Integer> cancelBy(JobFilter filter) {
        return offloaded(() -> blocking.cancelBy(filter));
    }

    @Override
    public Uni<Boolean> retry(long id) {
        return offloaded(() -> blocking.retry(id));
    }

    @Override
    public Uni<Integer> retryBy(JobFilter filter) {
        return offloaded(() -> blocking.retryBy(filter));
    }

    @Override
    public Uni<Boolean> snooze(long id, Duration delay) {
        return offloaded(() -> blocking.snooze(id, delay));
    }

    @Override
    public Uni<Boolean> delete(long id) {
        return offloaded(() -> blocking.delete(id));
    }

    @Override
    public Uni<Integer> deleteBy(JobFilter filter) {
        return offloaded(() -> blocking.deleteBy(filter));
    }

    @Override
    public Uni<Boolean> reportProgress(long id, int percent) {
        return offloaded(() -> blocking.reportProgress(id, percent));
    }

    @Override
    public Uni<List<JobView>> dependencies(long id) {
        return offloaded(() -> blocking.dependencies(id));
    }

    @Override
    public Uni<List<JobView>> dependents(long id) {
        return offloaded(() -> blocking.dependents(id));
    }

    @Override
    public Uni<Void> pauseQueue(String queue) {
        return offloaded(() -> {
            blocking.pauseQueue(queue);
            return null;
        });
    }

    @Override
    public Uni<Void> resumeQueue(String queue) {
        return offloaded(() -> {
            blocking.resumeQueue(queue);
            return null;
        });
    }

    @Override
    public Uni<Void> scaleQueue(String queue, int concurrency) {
        return offloaded(() -> {
            blocking.scaleQueue(queue, concurrency);
            return null;
        });
    }

    @Override
    public Uni<List<QueueView>> queues() {
        return offloaded(blocking::queues);
    }

    @Override
    public Uni<List<CronView>> cronEntries() {
        return offloaded(blocking::cronEntries);
    }

    @Override
    public Uni<BatchView> insertBatch(BatchRequest batch) {
        return outsideReactiveTransaction("insertBatch", () -> blocking.insertBatch(batch));
    }

    @Override
    public Uni<List<JobView>> addToBatch(long batchId, List<JobRequest> jobs) {
        return outsideReactiveTransaction("addToBatch", () -> blocking.addToBatch(batchId, jobs));
    }

    @Override
    public Uni<BatchView> sealBatch(long batchId) {
        return outsideReactiveTransaction("sealBatch", () -> blocking.sealBatch(batchId));
    }

    @Override
    public Uni<Optional<BatchView>> batch(long batchId) {
        return offloaded(() -> blocking.batch(batchId));
    }

    @Override
    public Uni<WorkflowView> insertWorkflow(Workflow workflow) {
        return outsideReactiveTransaction("insertWorkflow", () -> blocking.insertWorkflow(workflow));
    }

    @Override
    public Uni<Optional<WorkflowView>> workflow(long workflowId) {
        return offloaded(() -> blocking.workflow(workflowId));
    }

    @Override
    public Uni<Reencryption> reencrypt() {
        return offloaded(blocking::reencrypt);
    }

    @Override
    public Uni<List<CircuitBreakerView>> circuitBreakers() {
        return offloaded(blocking::circuitBreakers);
    }

    @Override
    public Uni<Boolean> resetCircuitBreaker(String kind) {
        return offloaded(() -> blocking.resetCircuitBreaker(kind));
    }

    /**
     * A write that cannot join a Hibernate Reactive transaction yet: run offloaded in its own transaction, or refused
     * inside one (run on its own it would commit whatever the caller's transaction does, a surprise).
     */
    private <T> Uni<T> outsideReactiveTransaction(String what, Supplier<T> work) {
        return Uni.createFrom().deferred(() -> {
            if (join.isResolvable() && join.get().inTransaction()) {
                return Uni.createFrom().failure(new ShigotoException(what + " cannot join a Hibernate Reactive"
                        + " transaction yet, and would commit on its own whatever the transaction does: call it"
                        + " outside the transaction, or use the blocking Shigoto in a JTA transaction"));
            }
            return offloaded(work);
        });
    }

    private static <T> Uni<T> offloaded(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
