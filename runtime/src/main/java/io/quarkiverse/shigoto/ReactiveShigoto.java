package io.quarkiverse.shigoto;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;

/**
 * The reactive client: the same operations as {@link Shigoto}, answering {@link Uni}s.
 * <p>
 * Called inside a Hibernate Reactive transaction ({@code @WithTransaction}, {@code Panache.withTransaction}), an
 * insert runs through that transaction's session, so the job is stored if and only if the transaction commits.
 * Outside one, each call is its own transaction.
 */
public interface ReactiveShigoto {

    /**
     * @param request the job
     * @return the stored job; fails with {@link InvalidJobException} for an invalid request
     * @see Shigoto#insert(JobRequest)
     */
    Uni<JobView> insert(JobRequest request);

    /**
     * @param requests the jobs
     * @return the stored jobs in request order; fails with {@link InvalidJobException} when any request is invalid
     * @see Shigoto#insertAll(List)
     */
    Uni<List<JobView>> insertAll(List<JobRequest> requests);

    /**
     * @param id a job id
     * @return the job, or empty when no job has that id
     */
    Uni<Optional<JobView>> job(long id);

    /** {@link Shigoto#deliveries}, on a worker thread. */
    Uni<List<Delivery>> deliveries(long id);

    /** @see Shigoto#jobs(JobFilter, long, int) */
    Uni<List<JobView>> jobs(JobFilter filter, long afterId, int limit);

    /** @see Shigoto#cancel(long) */
    Uni<Boolean> cancel(long id);

    /** @see Shigoto#cancelBy(JobFilter) */
    Uni<Integer> cancelBy(JobFilter filter);

    /** @see Shigoto#retry(long) */
    Uni<Boolean> retry(long id);

    /** @see Shigoto#retryBy(JobFilter) */
    Uni<Integer> retryBy(JobFilter filter);

    /** @see Shigoto#snooze(long, Duration) */
    Uni<Boolean> snooze(long id, Duration delay);

    /** @see Shigoto#delete(long) */
    Uni<Boolean> delete(long id);

    /** @see Shigoto#deleteBy(JobFilter) */
    Uni<Integer> deleteBy(JobFilter filter);

    /** @see Shigoto#reportProgress(long, int) */
    Uni<Boolean> reportProgress(long id, int percent);

    /** @see Shigoto#dependencies(long) */
    Uni<List<JobView>> dependencies(long id);

    /** @see Shigoto#dependents(long) */
    Uni<List<JobView>> dependents(long id);

    /** @see Shigoto#pauseQueue(String) */
    Uni<Void> pauseQueue(String queue);

    /** @see Shigoto#resumeQueue(String) */
    Uni<Void> resumeQueue(String queue);

    /** @see Shigoto#scaleQueue(String, int) */
    Uni<Void> scaleQueue(String queue, int concurrency);

    /** @see Shigoto#queues() */
    Uni<List<QueueView>> queues();

    /** @see Shigoto#cronEntries() */
    Uni<List<CronView>> cronEntries();

    /**
     * {@link Shigoto#insertBatch}, on a worker thread, in a transaction of its own.
     *
     * @throws ShigotoException (as the Uni's failure) inside a Hibernate Reactive transaction, which a batch cannot
     *         join yet: insert it outside that transaction, or with the blocking {@link Shigoto} in a JTA transaction
     */
    Uni<BatchView> insertBatch(BatchRequest batch);

    /** {@link Shigoto#addToBatch}, on a worker thread; refused inside a Hibernate Reactive transaction, as insertBatch. */
    Uni<List<JobView>> addToBatch(long batchId, List<JobRequest> jobs);

    /** {@link Shigoto#sealBatch}, on a worker thread; refused inside a Hibernate Reactive transaction, as insertBatch. */
    Uni<BatchView> sealBatch(long batchId);

    /** {@link Shigoto#batch}, on a worker thread. */
    Uni<Optional<BatchView>> batch(long batchId);

    /**
     * {@link Shigoto#insertWorkflow}, on a worker thread, in a transaction of its own; refused inside a Hibernate
     * Reactive transaction, as {@link #insertBatch}.
     */
    Uni<WorkflowView> insertWorkflow(Workflow workflow);

    /** {@link Shigoto#workflow}, on a worker thread. */
    Uni<Optional<WorkflowView>> workflow(long workflowId);

    /** {@link Shigoto#reencrypt}, on a worker thread. */
    Uni<Reencryption> reencrypt();

    /** {@link Shigoto#circuitBreakers}, on a worker thread. */
    Uni<List<CircuitBreakerView>> circuitBreakers();

    /** {@link Shigoto#resetCircuitBreaker}, on a worker thread. */
    Uni<Boolean> resetCircuitBreaker(String kind);
}
