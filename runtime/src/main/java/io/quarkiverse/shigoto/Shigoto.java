package io.quarkiverse.shigoto;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The blocking client: inserts jobs and reads them back. Inject it anywhere:
 *
 * <pre>
 * &#64;Inject
 * Shigoto shigoto;
 *
 * &#64;Transactional
 * void register(User user) {
 *     users.persist(user);
 *     shigoto.insert(JobRequest.of(WelcomeMail.class).arg("userId", user.id));
 * }
 * </pre>
 * <p>
 * Inside a JTA transaction ({@code @Transactional}) inserts use the transaction's connection, so the job is stored
 * if and only if the transaction commits. Outside one, each call is its own transaction.
 */
public interface Shigoto {

    /**
     * Stores one job.
     *
     * @param request the job
     * @return the stored job
     * @throws InvalidJobException when the request is invalid (unknown kind, arguments not serializable to a JSON
     *         object); nothing is stored
     */
    JobView insert(JobRequest request);

    /**
     * Stores many jobs in one transaction: from 1,000 jobs one streamed {@code COPY}, below that one statement, whatever
     * the number of jobs.
     * Every request is validated before anything is stored.
     *
     * @param requests the jobs
     * @return the stored jobs, in the order of the requests
     * @throws InvalidJobException when any request is invalid; nothing is stored
     */
    List<JobView> insertAll(List<JobRequest> requests);

    /**
     * @param id a job id
     * @return the job, or empty when no job has that id
     */
    Optional<JobView> job(long id);

    /**
     * The deliveries of a job of a broadcast queue: one per node that was live and ran the queue when the job was
     * fanned out (a job retried by hand is fanned out again; every fan-out's deliveries are listed), by node. While
     * its deliveries run, the broadcast itself is {@link JobState#EXECUTING}, attempted by no node; it completes when
     * every delivery completed or was given up because its node left the cluster, and is discarded (or cancelled)
     * when one was. See {@code docs/broadcast-queues.md}.
     *
     * @param id a job id
     * @return its deliveries (at most 1,000); empty for a job that is not a broadcast or is not fanned out yet
     */
    List<Delivery> deliveries(long id);

    /**
     * Lists jobs in id order, a page at a time: pass the last id of a page as {@code afterId} for the next.
     *
     * @param filter which jobs
     * @param afterId only jobs with a greater id (0 for the first page)
     * @param limit the page size, 1 to 10,000
     * @return the jobs
     */
    List<JobView> jobs(JobFilter filter, long afterId, int limit);

    /**
     * Cancels a job that has not finished. An executing job is interrupted on whichever node runs it, within about a
     * second: {@link JobContext#isCancelled()} turns true and a blocking worker's thread is interrupted; whatever its
     * attempt ends with is ignored. Jobs that depend on it are cancelled too, unless they run anyway.
     *
     * @param id the job
     * @return whether the job was cancelled ({@code false} when it finished already or does not exist)
     */
    boolean cancel(long id);

    /**
     * Cancels every unfinished job the filter selects, as {@link #cancel(long)} does.
     *
     * @return how many jobs were cancelled
     */
    int cancelBy(JobFilter filter);

    /**
     * Makes a retryable, discarded or cancelled job due now, with its whole attempt budget again. A job with
     * dependencies waits for them again (and is cancelled again if one of them failed and was not retried).
     *
     * @return whether the job was retried
     */
    boolean retry(long id);

    /**
     * Retries every retryable, discarded or cancelled job the filter selects, as {@link #retry(long)} does.
     *
     * @return how many jobs were retried
     */
    int retryBy(JobFilter filter);

    /**
     * Postpones a job that has not started (pending, scheduled, available or retryable) without using an attempt.
     *
     * @param delay how long from now: from zero to {@link JobResult#MAX_SNOOZE}, as for a worker's
     *        {@link JobResult#snooze(Duration)}
     * @return whether the job was postponed
     * @throws InvalidJobException when the delay is negative or longer than {@link JobResult#MAX_SNOOZE}
     */
    boolean snooze(long id, Duration delay);

    /**
     * Deletes a job that is not executing. Jobs that depend on it and had not run yet are cancelled, unless they run
     * anyway (a completed job's dependents have been released already).
     *
     * @return whether the job was deleted
     */
    boolean delete(long id);

    /**
     * Deletes every job the filter selects that is not executing, as {@link #delete(long)} does.
     *
     * @return how many jobs were deleted
     */
    int deleteBy(JobFilter filter);

    /**
     * Stores the progress of a job that has not finished, from outside its worker (inside, use
     * {@link JobContext#reportProgress(int)}).
     *
     * @param percent 0 to 100
     * @return whether the job exists and has not finished
     * @throws IllegalArgumentException when {@code percent} is out of range
     */
    boolean reportProgress(long id, int percent);

    /** @return the jobs a job depends on, in id order */
    List<JobView> dependencies(long id);

    /** @return the jobs that depend on a job, in id order */
    List<JobView> dependents(long id);

    /**
     * Stops every node from claiming jobs of a queue, within about a second, until {@link #resumeQueue}; running
     * jobs finish. Persisted: it survives restarts.
     */
    void pauseQueue(String queue);

    /** Lets every node claim jobs of a paused queue again. */
    void resumeQueue(String queue);

    /**
     * Sets how many jobs of a queue each node runs at once, replacing the configured concurrency on every node that
     * runs the queue, within about a second. Persisted: it survives restarts. 0 stops claiming like a pause.
     *
     * @param concurrency 0 to 10,000
     */
    void scaleQueue(String queue, int concurrency);

    /** @return every queue that is configured here, persisted, or run by a live node, sorted by name */
    List<QueueView> queues();

    /**
     * Lists the cron entries of this application ({@code @Job(cron = ...)} workers and
     * {@code quarkus.shigoto.cron."name".*}) with their last run on any node and their next run.
     *
     * @return every entry, enabled or not, sorted by name
     */
    List<CronView> cronEntries();

    /**
     * Inserts a batch: its members, and the callbacks to insert once they are over (see {@link BatchRequest}), in one
     * transaction (the caller's, if it has one). Every member and callback is checked as {@link #insertAll} checks a
     * request, before anything is stored. A unique member whose key is held by an existing job is answered by that
     * job and does not join the batch.
     *
     * @return the batch as stored
     * @throws InvalidJobException naming the member or callback that is wrong
     */
    BatchView insertBatch(BatchRequest batch);

    /**
     * Adds members to an open batch ({@link BatchRequest#open()}), in one transaction.
     *
     * @return the members as stored
     * @throws InvalidJobException when the batch does not exist, is sealed, or a request is wrong
     */
    List<JobView> addToBatch(long batchId, List<JobRequest> jobs);

    /**
     * Seals an open batch: it takes no more members, and finishes (inserting its callbacks) as soon as every member has
     * finished, at once if they all have. Sealing a sealed batch changes nothing.
     *
     * @return the batch as stored
     * @throws InvalidJobException when no batch has that id
     */
    BatchView sealBatch(long batchId);

    /** @return the batch, or empty when no batch has that id */
    Optional<BatchView> batch(long batchId);

    /**
     * Inserts a workflow: its steps as jobs waiting for each other (see {@link Workflow}), in one transaction (the
     * caller's, if it has one). The whole workflow is checked before anything is stored.
     *
     * @return the workflow as stored
     * @throws InvalidWorkflowException listing what is wrong with the steps: names used twice, unknown names in
     *         {@code after}, cycles, wrong requests
     */
    WorkflowView insertWorkflow(Workflow workflow);

    /** @return the workflow with its steps' states and results, or empty when no workflow has that id */
    Optional<WorkflowView> workflow(long workflowId);

    /**
     * Re-encrypts, with the primary key of {@code quarkus.shigoto.encryption.*}, every stored job whose args or meta
     * are encrypted with another key: after a rotation, so the old key can be removed. It passes over the job table
     * (and the archive, with {@code prune.mode=archive}) in batches of 500, each its own short transaction that skips (never
     * waits for) jobs a claim or a completion
     * holds at that moment, so it blocks neither. It keeps no state: a run stopped half-way is finished by the next,
     * which only does what is left. It runs in the caller's thread, outside the caller's transaction.
     *
     * @return what it did, with the jobs it had to leave (locked meanwhile, or not decryptable on this node)
     * @throws ShigotoException when no encryption key is configured, or the database fails (what was done stays done)
     */
    Reencryption reencrypt();

    /**
     * @return the circuit breaker of every {@link CircuitBreaker} kind of this application, as stored (the same on
     *         every node), sorted by kind; a kind whose breaker never saw an attempt is closed with an empty window
     */
    List<CircuitBreakerView> circuitBreakers();

    /**
     * Closes a kind's circuit breaker by hand and empties its window: its jobs are claimed again at once (on this
     * node) or at the next poll (on the others). Fires {@link CircuitBreakerClosed} when it was open or half-open.
     *
     * @return whether it was open or half-open
     * @throws InvalidJobException when the kind has no {@link CircuitBreaker} in this application
     */
    boolean resetCircuitBreaker(String kind);
}
