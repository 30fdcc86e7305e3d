package io.quarkiverse.shigoto;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job to insert. Start with {@link #of(Class)} or {@link #of(String)}, then set what differs from the worker's
 * {@link Job} defaults:
 *
 * <pre>
 * shigoto.insert(JobRequest.of(WelcomeMail.class)
 *         .args(Map.of("to", "ada@example.com"))
 *         .scheduleIn(Duration.ofMinutes(5))
 *         .tags("onboarding"));
 * </pre>
 * <p>
 * Setters validate their value at once and throw {@link InvalidJobException} naming the problem. A request is a
 * mutable builder: do not share one between threads while changing it.
 * <p>
 * (Over 300 lines: one documented, validating setter per option of a job.)
 */
public final class JobRequest {

    private final String kind;
    private final Class<? extends JobWorker> workerClass;
    private Map<String, Object> args = Map.of();
    // the args object of a typed worker's job, written as JSON at insert; null for map args
    private Object typedArgs;
    private Map<String, Object> meta = Map.of();
    private String queue;
    private Integer priority;
    private Integer maxAttempts;
    private Instant scheduledAt;
    private Duration scheduleIn;
    private List<String> tags;
    private String partitionKey;
    private UniqueOptions unique;
    private long[] dependsOn = NO_DEPENDENCIES;
    private DependencyFailure onDependencyFailure = DependencyFailure.CANCEL;
    private boolean encrypted;

    private static final long[] NO_DEPENDENCIES = new long[0];

    private JobRequest(String kind, Class<? extends JobWorker> workerClass) {
        this.kind = kind;
        this.workerClass = workerClass;
    }

    /**
     * @param worker a class annotated {@link Job}
     * @return a request for a job of that worker's kind
     */
    public static JobRequest of(Class<? extends JobWorker> worker) {
        if (worker == null) {
            throw new InvalidJobException("worker class must not be null");
        }
        return new JobRequest(null, worker);
    }

    /**
     * A request for a job of a worker with args of its own type ({@link TypedWorker}, {@link TypedReactiveWorker}):
     * the args are written as JSON with the application's {@code ObjectMapper} when the job is inserted.
     *
     * @param worker a class annotated {@link Job}
     * @param args the job's args; their JSON must be an object (a record or a class with properties)
     * @return a request for a job of that worker's kind
     * @param <A> the worker's args type
     */
    public static <A> JobRequest of(Class<? extends JobWorker<A>> worker, A args) {
        if (args == null) {
            throw new InvalidJobException("args must not be null");
        }
        JobRequest request = of(worker);
        if (args instanceof Map<?, ?> map) {
            return request.args(Arguments.stringKeys(map, "args"));
        }
        request.typedArgs = args;
        return request;
    }

    /**
     * @param kind the kind of a worker known to this application
     * @return a request for a job of that kind
     */
    public static JobRequest of(String kind) {
        if (kind == null || kind.isBlank()) {
            throw new InvalidJobException("job kind must not be blank");
        }
        return new JobRequest(kind, null);
    }

    /**
     * @param args the job's arguments: string keys, JSON-serializable values; stored as a JSONB object
     * @return this request
     */
    public JobRequest args(Map<String, ?> args) {
        requireMapArgs();
        this.args = copy(args, "args");
        return this;
    }

    /**
     * Adds one argument.
     *
     * @param key the argument's name
     * @param value a JSON-serializable value
     * @return this request
     */
    public JobRequest arg(String key, Object value) {
        requireMapArgs();
        Map<String, Object> next = new LinkedHashMap<>(args);
        if (key == null) {
            throw new InvalidJobException("args must not have a null key");
        }
        next.put(key, value);
        this.args = next;
        return this;
    }

    /**
     * @param meta free-form metadata stored with the job (a JSON object), visible to the worker and the dashboard
     * @return this request
     */
    public JobRequest meta(Map<String, ?> meta) {
        this.meta = copy(meta, "meta");
        return this;
    }

    /**
     * @param queue the queue to insert into, instead of the worker's
     * @return this request
     */
    public JobRequest queue(String queue) {
        this.queue = Names.requireName(queue, "queue");
        return this;
    }

    /**
     * @param priority between {@value Job#MIN_PRIORITY} and {@value Job#MAX_PRIORITY}; higher is claimed first
     * @return this request
     */
    public JobRequest priority(int priority) {
        if (priority < Job.MIN_PRIORITY || priority > Job.MAX_PRIORITY) {
            throw new InvalidJobException("priority must be between " + Job.MIN_PRIORITY + " and " + Job.MAX_PRIORITY
                    + ", was " + priority);
        }
        this.priority = priority;
        return this;
    }

    /**
     * @param maxAttempts how many times the job may run; at least 1
     * @return this request
     */
    public JobRequest maxAttempts(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new InvalidJobException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        return this;
    }

    /**
     * @param at when the job becomes due; a past instant makes it due at once, ordered by that instant among the jobs
     *        of its priority
     * @return this request
     */
    public JobRequest scheduledAt(Instant at) {
        if (at == null) {
            throw new InvalidJobException("scheduledAt must not be null");
        }
        this.scheduledAt = at;
        this.scheduleIn = null;
        return this;
    }

    /**
     * @param delay how long after the insert the job becomes due; must not be negative
     * @return this request
     */
    public JobRequest scheduleIn(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new InvalidJobException("scheduleIn must not be negative, was " + delay);
        }
        this.scheduleIn = delay;
        this.scheduledAt = null;
        return this;
    }

    /**
     * @param tags the job's tags, replacing the worker's
     * @return this request
     */
    public JobRequest tags(String... tags) {
        if (tags == null) {
            throw new InvalidJobException("tags must not be null");
        }
        return tags(Arrays.asList(tags));
    }

    /**
     * @param tags the job's tags, replacing the worker's; none blank or holding the NUL character
     * @return this request
     */
    public JobRequest tags(Collection<String> tags) {
        if (tags == null) {
            throw new InvalidJobException("tags must not be null");
        }
        List<String> checked = new ArrayList<>(tags.size());
        for (String tag : tags) {
            if (tag == null || tag.isBlank()) {
                throw new InvalidJobException("tags must not be blank");
            }
            if (tag.indexOf('\u0000') >= 0) {
                throw new InvalidJobException("tags must not contain the NUL character (U+0000), which PostgreSQL"
                        + " cannot store in text");
            }
            checked.add(tag);
        }
        this.tags = List.copyOf(checked);
        return this;
    }

    /**
     * @param partitionKey the partition (for example a tenant id) this job belongs to, for fair queues; not blank, no
     *        NUL character
     * @return this request
     */
    public JobRequest partitionKey(String partitionKey) {
        if (partitionKey != null && partitionKey.isBlank()) {
            throw new InvalidJobException("partitionKey must not be blank");
        }
        if (partitionKey != null && partitionKey.indexOf('\u0000') >= 0) {
            throw new InvalidJobException("partitionKey must not contain the NUL character (U+0000), which PostgreSQL"
                    + " cannot store in text");
        }
        this.partitionKey = partitionKey;
        return this;
    }

    /**
     * @param options the uniqueness of this insert, replacing the worker's {@link Unique} options;
     *        {@link UniqueOptions#none()} makes this job not unique
     * @return this request
     */
    public JobRequest unique(UniqueOptions options) {
        if (options == null) {
            throw new InvalidJobException("unique options must not be null (use UniqueOptions.none())");
        }
        this.unique = options;
        return this;
    }

    /**
     * Makes the job wait, in state {@code pending}, until every listed job completed. Dependencies that already
     * completed do not hold it back; ids that name no job make the insert fail. A job can only depend on jobs stored
     * before it, so dependencies never form a cycle; diamonds and fan-in are fine.
     *
     * @param ids the ids of the jobs this one waits for
     * @return this request
     */
    public JobRequest dependsOn(long... ids) {
        if (ids == null) {
            throw new InvalidJobException("dependsOn must not be null");
        }
        this.dependsOn = Arrays.stream(ids).distinct().toArray();
        return this;
    }

    /**
     * @param ids the ids of the jobs this one waits for
     * @return this request
     * @see #dependsOn(long...)
     */
    public JobRequest dependsOn(Collection<Long> ids) {
        return dependsOn(Arguments.elements(ids, "dependsOn").stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * @param policy what happens to this job when a dependency is discarded or cancelled; default
     *        {@link DependencyFailure#CANCEL}
     * @return this request
     */
    public JobRequest onDependencyFailure(DependencyFailure policy) {
        if (policy == null) {
            throw new InvalidJobException("onDependencyFailure must not be null");
        }
        this.onDependencyFailure = policy;
        return this;
    }

    /** @return the kind given to {@link #of(String)}, or {@code null} when created from a class */
    /**
     * Stores this job's args and meta encrypted at rest, as every job of an {@code @Job(encrypted = true)} worker is
     * (AES-256-GCM with the primary key of {@code quarkus.shigoto.encryption.*}): for a worker whose jobs hold
     * secrets only sometimes. The worker gets them decrypted, on the node that runs the job; the dashboard and the API
     * never show them. The insert fails with an {@link InvalidJobException} when no key is configured.
     *
     * @return this request
     */
    public JobRequest encrypted() {
        this.encrypted = true;
        return this;
    }

    /** @return whether {@link #encrypted()} asked for this job's args and meta to be stored encrypted */
    public boolean isEncrypted() {
        return encrypted;
    }

    public String kind() {
        return kind;
    }

    /** @return the worker class given to {@link #of(Class)}, or {@code null} */
    public Class<? extends JobWorker> workerClass() {
        return workerClass;
    }

    /** @return the arguments as a map; empty for a request with {@link #typedArgs() typed args} */
    public Map<String, Object> args() {
        return args;
    }

    /** @return the args object given to {@link #of(Class, Object)}, or {@code null} for map args */
    public Object typedArgs() {
        return typedArgs;
    }

    private void requireMapArgs() {
        if (typedArgs != null) {
            throw new InvalidJobException("this request has typed args (" + typedArgs.getClass().getName()
                    + "): args and arg add map args, which it cannot have as well");
        }
    }

    /** @return the metadata */
    public Map<String, Object> meta() {
        return meta;
    }

    /** @return the queue, or {@code null} for the worker's */
    public String queue() {
        return queue;
    }

    /** @return the priority, or {@code null} for the worker's */
    public Integer priority() {
        return priority;
    }

    /** @return the attempt budget, or {@code null} for the worker's */
    public Integer maxAttempts() {
        return maxAttempts;
    }

    /** @return the due time, or {@code null} */
    public Instant scheduledAt() {
        return scheduledAt;
    }

    /** @return the delay after insert, or {@code null} */
    public Duration scheduleIn() {
        return scheduleIn;
    }

    /** @return the tags, or {@code null} for the worker's */
    public List<String> tags() {
        return tags;
    }

    /** @return the partition key, or {@code null} */
    public String partitionKey() {
        return partitionKey;
    }

    /** @return the per-insert unique options, or {@code null} for the worker's */
    public UniqueOptions unique() {
        return unique;
    }

    /** @return the ids of the jobs this one waits for (a copy) */
    public long[] dependsOn() {
        return dependsOn.clone();
    }

    /** @return whether the job waits for other jobs */
    public boolean hasDependencies() {
        return dependsOn.length > 0;
    }

    /** @return what happens when a dependency fails */
    public DependencyFailure onDependencyFailure() {
        return onDependencyFailure;
    }

    private static Map<String, Object> copy(Map<String, ?> map, String what) {
        if (map == null) {
            throw new InvalidJobException(what + " must not be null (use an empty map)");
        }
        Map<String, Object> copy = new LinkedHashMap<>(map.size());
        // a raw or unchecked map may hold keys of any type despite its signature: check each one, never cast blindly
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object key = e.getKey();
            if (key == null) {
                throw new InvalidJobException(what + " must not have a null key");
            }
            if (!(key instanceof String name)) {
                throw new InvalidJobException(what + " keys must be strings, but key " + key + " is a "
                        + key.getClass().getName());
            }
            copy.put(name, e.getValue());
        }
        return copy;
    }

    @Override
    public String toString() {
        return "JobRequest[" + (kind != null ? kind : workerClass.getName()) + "]";
    }
}
