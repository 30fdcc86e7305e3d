package io.quarkiverse.shigoto;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes the jobs of a {@link Job} worker unique: an insert that matches a job already stored in one of the blocking
 * {@link #states()} stores nothing and answers that job with {@link JobView#conflict()} set (after applying
 * {@link #replace()} and {@link #debounce()} to it).
 * <p>
 * The database enforces it (a hashed key under a partial unique index), so concurrent inserts on any number of nodes
 * store one job at most, in {@link Shigoto#insertAll(java.util.List) insertAll} as well. The key is a SHA-256 hash of
 * the chosen fields; args never appear in it as plain text. Options given with {@link JobRequest#unique(UniqueOptions)}
 * replace these for one insert.
 *
 * <pre>
 * &#64;Job
 * &#64;Unique(keys = { Unique.Key.WORKER, Unique.Key.ARGS }, argsKeys = "table", period = "5m")
 * public class ReindexTable implements Worker { ... }
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Unique {

    /** The fields a job is unique by. */
    enum Key {
        /** the job's kind */
        WORKER,
        /** the job's queue */
        QUEUE,
        /** the job's args (all of them, or those named by {@link Unique#argsKeys()}), compared as canonical JSON */
        ARGS
    }

    /** What a conflicting insert changes on the job it found, while that job has not started. */
    enum Replace {
        /** replace the args */
        ARGS,
        /** replace the priority */
        PRIORITY,
        /** replace the attempt budget */
        MAX_ATTEMPTS,
        /** replace the due time */
        SCHEDULED_AT,
        /** replace the tags */
        TAGS,
        /** replace the metadata */
        META
    }

    /** The fields that make two jobs the same. Default: the worker and all args. */
    Key[] keys() default { Key.WORKER, Key.ARGS };

    /** With {@link Key#ARGS}: only these top-level args keys count. Empty means all args. */
    String[] argsKeys() default {};

    /**
     * The states in which a stored job blocks a duplicate. Empty means the default: pending, scheduled, available,
     * executing and retryable (a job that has not finished). Add {@code COMPLETED} to also block for a while after it
     * ran (with {@link #period()}).
     * <p>
     * A job must never run into a blocking state while another job holds its key, so the states must be consistent
     * with how jobs move (checked at build time): {@code EXECUTING} needs {@code AVAILABLE}; {@code SCHEDULED},
     * {@code RETRYABLE}, {@code COMPLETED} and {@code DISCARDED} need {@code EXECUTING}; {@code CANCELLED} needs every
     * unfinished state. {@code PENDING} is added whenever {@code AVAILABLE} or {@code SCHEDULED} is listed. A
     * scheduled or retryable job that falls due while an equal job holds the key as {@code AVAILABLE} is cancelled as
     * a duplicate, naming that job.
     */
    JobState[] states() default {};

    /**
     * How long uniqueness lasts: {@code "infinity"}, or a duration ({@code "300s"}, {@code "5m"}, {@code "PT1H"}).
     * Time is cut into fixed windows of this length (counted from the epoch); jobs inserted in different windows
     * never conflict.
     */
    String period() default "infinity";

    /** What a conflicting insert replaces on the job it found. */
    Replace[] replace() default {};

    /**
     * Empty for none, or a duration: a new job is scheduled this long after its insert, and a conflicting insert
     * pushes the job it found (if it has not started) to this long after now. The job runs once, {@code debounce}
     * after the last of a burst of inserts.
     */
    String debounce() default "";
}
