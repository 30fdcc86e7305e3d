package io.quarkiverse.shigoto;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The uniqueness of one insert, replacing the worker's {@link Unique} options:
 *
 * <pre>
 * shigoto.insert(JobRequest.of(ReindexTable.class).arg("table", "users")
 *         .unique(UniqueOptions.by(Unique.Key.WORKER, Unique.Key.ARGS).debounce(Duration.ofSeconds(5))));
 * </pre>
 * <p>
 * Instances are immutable; every method answers a new one. {@link #none()} turns uniqueness off for one insert of a
 * worker that declares {@link Unique}. See {@link Unique} for what each option means.
 */
public final class UniqueOptions {

    /** The blocking states used when none are given: every state of a job that has not finished. */
    public static final Set<JobState> DEFAULT_STATES = Set.copyOf(EnumSet.of(JobState.PENDING, JobState.SCHEDULED,
            JobState.AVAILABLE, JobState.EXECUTING, JobState.RETRYABLE));

    private static final UniqueOptions NONE = new UniqueOptions(Set.of(), List.of(), Set.of(), null, Set.of(), null);

    private final Set<Unique.Key> keys;
    private final List<String> argsKeys;
    private final Set<JobState> states;
    private final Duration period;
    private final Set<Unique.Replace> replace;
    private final Duration debounce;

    private UniqueOptions(Set<Unique.Key> keys, List<String> argsKeys, Set<JobState> states, Duration period,
            Set<Unique.Replace> replace, Duration debounce) {
        this.keys = keys;
        this.argsKeys = argsKeys;
        this.states = states;
        this.period = period;
        this.replace = replace;
        this.debounce = debounce;
    }

    /**
     * @param keys the fields two jobs must share to be the same; at least one
     * @return options unique by those fields, in the default states, forever
     */
    public static UniqueOptions by(Unique.Key... keys) {
        if (keys == null || keys.length == 0) {
            throw new InvalidJobException("unique keys must name at least one of " + Arrays.toString(Unique.Key.values()));
        }
        Set<Unique.Key> set = EnumSet.noneOf(Unique.Key.class);
        for (Unique.Key k : keys) {
            if (k == null) {
                throw new InvalidJobException("unique keys must not contain null");
            }
            set.add(k);
        }
        return new UniqueOptions(Set.copyOf(set), List.of(), DEFAULT_STATES, null, Set.of(), null);
    }

    /** @return options that make an insert not unique, whatever its worker declares */
    public static UniqueOptions none() {
        return NONE;
    }

    /**
     * @param argsKeys with {@link Unique.Key#ARGS}, the top-level args keys that count (none: all args)
     * @return new options
     */
    public UniqueOptions argsKeys(String... argsKeys) {
        requireEnabled();
        if (argsKeys == null) {
            throw new InvalidJobException("unique argsKeys must not be null");
        }
        for (String k : argsKeys) {
            if (k == null || k.isEmpty()) {
                throw new InvalidJobException("unique argsKeys must not be empty");
            }
        }
        return new UniqueOptions(keys, List.copyOf(Arrays.asList(argsKeys)), states, period, replace, debounce);
    }

    /**
     * @param states the states in which a stored job blocks a duplicate; at least one, consistent as
     *        {@link Unique#states()} explains (an inconsistent set fails the insert naming what is missing)
     * @return new options
     */
    public UniqueOptions states(JobState... states) {
        requireEnabled();
        if (states == null || states.length == 0) {
            throw new InvalidJobException("unique states must name at least one state");
        }
        Set<JobState> set = EnumSet.noneOf(JobState.class);
        for (JobState s : states) {
            if (s == null) {
                throw new InvalidJobException("unique states must not contain null");
            }
            set.add(s);
        }
        return new UniqueOptions(keys, argsKeys, Set.copyOf(set), period, replace, debounce);
    }

    /**
     * @param period the length of the windows uniqueness holds in; positive, whole seconds
     * @return new options
     */
    public UniqueOptions period(Duration period) {
        requireEnabled();
        if (period == null || period.getSeconds() < 1) {
            throw new InvalidJobException("unique period must be at least one second, was " + period);
        }
        return new UniqueOptions(keys, argsKeys, states, period, replace, debounce);
    }

    /**
     * @param fields what a conflicting insert replaces on the job it found
     * @return new options
     */
    public UniqueOptions replace(Unique.Replace... fields) {
        requireEnabled();
        Set<Unique.Replace> set = EnumSet.noneOf(Unique.Replace.class);
        for (Unique.Replace f : Arguments.elements(fields, "unique replace")) {
            if (f == null) {
                throw new InvalidJobException("unique replace must not contain null");
            }
            set.add(f);
        }
        return new UniqueOptions(keys, argsKeys, states, period, Set.copyOf(set), debounce);
    }

    /**
     * @param debounce how long after the last of a burst of inserts the job runs; positive
     * @return new options
     */
    public UniqueOptions debounce(Duration debounce) {
        requireEnabled();
        if (debounce == null || debounce.isZero() || debounce.isNegative()) {
            throw new InvalidJobException("unique debounce must be positive, was " + debounce);
        }
        return new UniqueOptions(keys, argsKeys, states, period, replace, debounce);
    }

    /** @return whether these options make a job unique ({@code false} only for {@link #none()}) */
    public boolean enabled() {
        return !keys.isEmpty();
    }

    /** @return the fields a job is unique by */
    public Set<Unique.Key> keys() {
        return keys;
    }

    /** @return the args keys that count, empty for all */
    public List<String> argsKeys() {
        return argsKeys;
    }

    /** @return the blocking states */
    public Set<JobState> states() {
        return states;
    }

    /** @return the window length, or {@code null} for forever */
    public Duration period() {
        return period;
    }

    /** @return the fields a conflicting insert replaces */
    public Set<Unique.Replace> replace() {
        return replace;
    }

    /** @return the debounce delay, or {@code null} */
    public Duration debounce() {
        return debounce;
    }

    private void requireEnabled() {
        if (!enabled()) {
            throw new InvalidJobException("UniqueOptions.none() takes no further options");
        }
    }

    @Override
    public String toString() {
        return enabled() ? "UniqueOptions[keys=" + keys + ", argsKeys=" + argsKeys + ", states=" + states + ", period="
                + (period == null ? "infinity" : period) + ", replace=" + replace + ", debounce=" + debounce + "]"
                : "UniqueOptions.none()";
    }
}
