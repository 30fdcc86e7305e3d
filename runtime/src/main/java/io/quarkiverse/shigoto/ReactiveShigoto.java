package io.quarkiverse.shigoto;

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
}
