package io.quarkiverse.shigoto;

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
     * Stores many jobs in one transaction, in large chunks (one round trip per chunk, whatever the number of jobs).
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
}
