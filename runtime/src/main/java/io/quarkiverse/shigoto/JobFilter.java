package io.quarkiverse.shigoto;

import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Selects jobs for bulk actions ({@link Shigoto#cancelBy}, {@link Shigoto#retryBy}, {@link Shigoto#deleteBy}) and
 * listings ({@link Shigoto#jobs}). Every condition given must hold; a condition not given does not filter.
 * {@link #all()} is the one way to select every job: a list of kinds, workers, queues or states that is empty
 * matches no job (a job of none of no kinds), so a computed list that came out empty changes nothing instead of
 * everything; an empty list of required tags is refused.
 *
 * <pre>
 * shigoto.cancelBy(JobFilter.all().worker(Newsletter.class).tags("marketing").args(Map.of("list", "weekly")));
 * </pre>
 * <p>
 * Instances are immutable; every method answers a new filter.
 */
public final class JobFilter {

    private static final JobFilter ALL = new JobFilter(null, null, null, null, List.of(), null, null, null);

    // null when not given (any); an empty set matches nothing
    private final Set<String> kinds;
    private final Set<Class<? extends JobWorker>> workers;
    private final Set<String> queues;
    private final Set<JobState> states;
    private final List<String> tags;
    private final Map<String, Object> args;
    private final String partitionKey;
    private final Long batch;

    private JobFilter(Set<String> kinds, Set<Class<? extends JobWorker>> workers, Set<String> queues,
            Set<JobState> states, List<String> tags, Map<String, Object> args, String partitionKey, Long batch) {
        this.kinds = kinds;
        this.workers = workers;
        this.queues = queues;
        this.states = states;
        this.tags = tags;
        this.args = args;
        this.partitionKey = partitionKey;
        this.batch = batch;
    }

    /** @return a filter matching every job */
    public static JobFilter all() {
        return ALL;
    }

    /**
     * @param kinds job kinds; a job of any of them matches (none given: no job matches)
     * @return a new filter
     */
    public JobFilter kinds(String... kinds) {
        return kinds(Arguments.elements(kinds, "filter kinds"));
    }

    /**
     * @param kinds job kinds; a job of any of them matches (an empty collection: no job matches)
     * @return a new filter
     */
    public JobFilter kinds(Collection<String> kinds) {
        Set<String> set = new LinkedHashSet<>();
        for (String k : Arguments.elements(kinds, "filter kinds")) {
            if (k == null || k.isBlank()) {
                throw new InvalidJobException("filter kinds must not be blank");
            }
            set.add(k);
        }
        return new JobFilter(Set.copyOf(set), workers, queues, states, tags, args, partitionKey, batch);
    }

    /**
     * @param workers worker classes; a job of any of their kinds matches (none given: no job matches)
     * @return a new filter
     */
    @SafeVarargs
    public final JobFilter worker(Class<? extends JobWorker>... workers) {
        return new JobFilter(kinds, Set.copyOf(Arguments.elements(workers, "filter workers")), queues, states, tags,
                args, partitionKey, batch);
    }

    /**
     * @param queues queue names; a job in any of them matches (none given: no job matches)
     * @return a new filter
     */
    public JobFilter queues(String... queues) {
        return queues(Arguments.elements(queues, "filter queues"));
    }

    /**
     * @param queues queue names; a job in any of them matches (an empty collection: no job matches)
     * @return a new filter
     */
    public JobFilter queues(Collection<String> queues) {
        Set<String> set = new LinkedHashSet<>();
        for (String q : Arguments.elements(queues, "filter queues")) {
            set.add(Names.requireName(q, "filter queue"));
        }
        return new JobFilter(kinds, workers, Set.copyOf(set), states, tags, args, partitionKey, batch);
    }

    /**
     * @param states states; a job in any of them matches (none given: no job matches)
     * @return a new filter
     */
    public JobFilter states(JobState... states) {
        return states(Arguments.elements(states, "filter states"));
    }

    /**
     * @param states states; a job in any of them matches (an empty collection: no job matches)
     * @return a new filter
     */
    public JobFilter states(Collection<JobState> states) {
        List<JobState> checked = Arguments.elements(states, "filter states");
        Set<JobState> set = checked.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(checked));
        return new JobFilter(kinds, workers, queues, set, tags, args, partitionKey, batch);
    }

    /**
     * @param tags tags a job must all have (it may have more); at least one
     * @return a new filter
     * @throws InvalidJobException when none is given: requiring no tag would select every job
     */
    public JobFilter tags(String... tags) {
        return tags(Arguments.elements(tags, "filter tags"));
    }

    /**
     * @param tags tags a job must all have (it may have more); at least one
     * @return a new filter
     * @throws InvalidJobException when the collection is empty: requiring no tag would select every job
     */
    public JobFilter tags(Collection<String> tags) {
        List<String> checked = Arguments.elements(tags, "filter tags");
        if (checked.isEmpty()) {
            throw new InvalidJobException("filter tags must name at least one tag: requiring none would select every"
                    + " job (JobFilter.all() does that explicitly)");
        }
        for (String t : checked) {
            if (t.isBlank()) {
                throw new InvalidJobException("filter tags must not be blank");
            }
        }
        return new JobFilter(kinds, workers, queues, states, List.copyOf(checked), args, partitionKey, batch);
    }

    /**
     * @param args a JSON object the job's args must contain (JSON containment: {@code {"a": 1}} matches
     *        {@code {"a": 1, "b": 2}}; nested objects and arrays match by containment too)
     * @return a new filter
     */
    public JobFilter args(Map<String, ?> args) {
        if (args == null) {
            throw new InvalidJobException("filter args must not be or contain a null key");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : args.entrySet()) {
            if (e.getKey() == null) {
                throw new InvalidJobException("filter args must not be or contain a null key");
            }
            if (!(e.getKey() instanceof String key)) {
                throw new InvalidJobException("filter args keys must be strings, but key " + e.getKey() + " is a "
                        + e.getKey().getClass().getName());
            }
            copy.put(key, e.getValue());
        }
        return new JobFilter(kinds, workers, queues, states, tags, copy, partitionKey, batch);
    }

    /**
     * @param partitionKey the partition key a job must have
     * @return a new filter
     */
    public JobFilter partitionKey(String partitionKey) {
        if (partitionKey == null || partitionKey.isBlank()) {
            throw new InvalidJobException("filter partitionKey must not be blank");
        }
        return new JobFilter(kinds, workers, queues, states, tags, args, partitionKey, batch);
    }

    /**
     * @param batchId a batch's id
     * @return a new filter that also requires the job to be a member of that batch (see {@link BatchRequest})
     */
    public JobFilter batch(long batchId) {
        return new JobFilter(kinds, workers, queues, states, tags, args, partitionKey, batchId);
    }

    /**
     * @return whether no job can match: a list of kinds, workers, queues or states was given empty
     */
    public boolean matchesNothing() {
        return isEmpty(kinds) || isEmpty(workers) || isEmpty(queues) || isEmpty(states);
    }

    private static boolean isEmpty(Set<?> condition) {
        return condition != null && condition.isEmpty();
    }

    /** @return the kinds, empty when not given (any kind; see {@link #matchesNothing()} for an empty list) */
    public Set<String> kinds() {
        return kinds == null ? Set.of() : kinds;
    }

    /** @return the worker classes, empty when not given (see {@link #matchesNothing()}) */
    public Set<Class<? extends JobWorker>> workers() {
        return workers == null ? Set.of() : workers;
    }

    /** @return the queues, empty when not given (see {@link #matchesNothing()}) */
    public Set<String> queues() {
        return queues == null ? Set.of() : queues;
    }

    /** @return the states, empty when not given (see {@link #matchesNothing()}) */
    public Set<JobState> states() {
        return states == null ? Set.of() : states;
    }

    /** @return the tags a job must have, empty for none */
    public List<String> tags() {
        return tags;
    }

    /** @return the JSON object the args must contain, or {@code null} */
    public Map<String, Object> args() {
        return args;
    }

    /** @return the partition key, or {@code null} */
    public String partitionKey() {
        return partitionKey;
    }

    /** @return the batch a job must be a member of, or {@code null} for any */
    public Long batch() {
        return batch;
    }

    @Override
    public String toString() {
        return "JobFilter[kinds=" + text(kinds) + ", workers=" + text(workers) + ", queues=" + text(queues)
                + ", states=" + text(states) + ", tags=" + tags + ", args=" + args + ", partitionKey=" + partitionKey
                + ", batch=" + batch
                + (matchesNothing() ? ", matches nothing" : "") + "]";
    }

    private static String text(Set<?> condition) {
        return condition == null ? "any" : condition.toString();
    }
}
