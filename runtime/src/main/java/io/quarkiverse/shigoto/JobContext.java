package io.quarkiverse.shigoto;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The job being run, injectable into any bean while a worker runs:
 *
 * <pre>
 * &#64;Inject
 * JobContext job;
 * </pre>
 * <p>
 * The executor activates a request context around every attempt, so this is a request-scoped bean. Calling its
 * methods when no job runs in the current request context throws {@link IllegalStateException}.
 */
public interface JobContext {

    /** @return the job's id */
    long id();

    /** @return the job's kind */
    String kind();

    /** @return the queue the job was claimed from */
    String queue();

    /** @return the job's priority */
    int priority();

    /** @return the current attempt, starting at 1 */
    int attempt();

    /** @return how many attempts the job may use */
    int maxAttempts();

    /** @return the job's tags */
    List<String> tags();

    /** @return the job's metadata (a JSON object) */
    Map<String, Object> meta();

    /**
     * The job's args as the stored JSON object, whatever the worker's type: what a middleware reads (to log an id, to
     * set up a tenant) without knowing each worker's args type.
     *
     * @return the args as a map of JSON values
     */
    Map<String, Object> args();

    /**
     * The job's args as a type: the very object a {@link TypedWorker} receives when it is of that type, otherwise the
     * stored JSON read as the type, strictly (a property the type lacks fails).
     *
     * @param type a record or class, or {@code Map.class}
     * @return the args
     * @throws IllegalArgumentException when the stored args do not fit the type, naming the property and its path
     */
    <T> T args(Class<T> type);

    /** @return the job's partition key, or {@code null} */
    String partitionKey();

    /** @return when the job was inserted */
    Instant insertedAt();

    /** @return when the job was due to run */
    Instant scheduledAt();

    /** @return the id of the node running the job */
    String node();

    /**
     * @return whether the job was cancelled while running ({@link Shigoto#cancel(long)}); a long-running worker should
     *         check it now and then and return early. A blocking worker's thread is also interrupted; whatever the
     *         attempt returns after a cancellation is ignored
     */
    boolean isCancelled();

    /**
     * Records how far the job got. Cheap enough for a tight loop: the latest value is written with the next batch
     * (about every 250 ms, and at the latest with the attempt's outcome), never once per call.
     *
     * @param percent 0 to 100
     * @throws IllegalArgumentException when {@code percent} is out of range
     */
    void reportProgress(int percent);

    /**
     * @return the results ({@link JobResult#ok(Object)}) of the jobs this job depends on, keyed by their id; a
     *         dependency without a result maps to {@code null}. Read once per attempt, on first use
     */
    Map<Long, Object> dependencyResults();

    /**
     * The result of one job this job depends on, read as a type of your own with the application's
     * {@code ObjectMapper}, strictly (as typed args are read: a property the type lacks fails).
     *
     * <pre>
     * Thumbnail thumb = job.dependencyResult(resizeJobId, Thumbnail.class);
     * </pre>
     *
     * @param dependencyId the id of a job this job depends on
     * @param type what to read its result as: a record or class, or {@code Map.class}, {@code String.class} ...
     * @return the result, or {@code null} when that job stored none (or this job does not depend on it)
     * @throws IllegalArgumentException when the stored result does not fit the type, naming the property and its path
     */
    <T> T dependencyResult(long dependencyId, Class<T> type);

    /**
     * @return for a workflow step ({@link Workflow}), the results of the steps it comes after, keyed by step name, as
     *         JSON values ({@code null} for a step that returned none); empty for a job of no workflow. Read once per
     *         attempt, with {@link #dependencyResults()}
     */
    Map<String, Object> stepResults();

    /**
     * The result of a step this workflow step comes after, read as a type of your own, as strictly as
     * {@link #dependencyResult(long, Class)}:
     *
     * <pre>
     * Album album = job.stepResult("fetch", Album.class);
     * </pre>
     *
     * @param step the name of a step this one comes after
     * @param type what to read its result as
     * @return the result, or {@code null} when that step stored none
     * @throws IllegalArgumentException when this job comes after no step of that name (the message lists those it
     *         comes after), or the result does not fit the type
     */
    <T> T stepResult(String step, Class<T> type);
}
