package io.quarkiverse.shigoto;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a background job worker.
 * <p>
 * The class must implement {@link Worker} (blocking, runs on a worker thread) or {@link ReactiveWorker} (returns a
 * {@code Uni}, runs on the event loop). Workers are discovered at build time; a class annotated {@code @Job} is a CDI
 * bean ({@code @Singleton} unless it declares another scope), so it may inject other beans, including the
 * request-scoped {@link JobContext} of the job it is running.
 * <p>
 * Every option is a default: values given on a {@link JobRequest} at insert time win. Invalid options (a malformed
 * {@link #timeout()}, {@link #maxAttempts()} below 1, a {@link #priority()} out of range, a negative
 * {@link #concurrency()}, a kind used twice, an invalid {@link #cron()}) fail the build with a message naming the class.
 *
 * <pre>
 * &#64;Job(queue = "mail", maxAttempts = 5, timeout = "1m", tags = "email")
 * public class WelcomeMail implements Worker {
 *     public JobResult perform(Map&lt;String, Object&gt; args) {
 *         mailer.send((String) args.get("to"));
 *         return JobResult.ok();
 *     }
 * }
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Job {

    /** The lowest allowed priority. */
    int MIN_PRIORITY = -100;

    /** The highest allowed priority. */
    int MAX_PRIORITY = 100;

    /**
     * The persisted name of the job kind. Empty means the simple name of the class. Keep it stable: rows in the
     * database refer to workers by kind, so renaming a class does not strand its jobs as long as the kind stays.
     * Letters, digits, {@code . _ : -}, at most 128 characters.
     */
    String kind() default "";

    /** The queue jobs of this kind go to unless the insert names another. */
    String queue() default "default";

    /** Claim priority between {@value #MIN_PRIORITY} and {@value #MAX_PRIORITY}; higher is claimed first. */
    int priority() default 0;

    /** How many times a job of this kind may run before it is discarded; at least 1. */
    int maxAttempts() default 3;

    /**
     * How long one attempt may run before it fails with a timeout: {@code "300s"}, {@code "5m"}, {@code "250ms"},
     * {@code "1h"} or ISO-8601 such as {@code "PT5M"}. A blocking worker is interrupted when it runs out of time.
     */
    String timeout() default "300s";

    /** Tags stored with every job of this kind unless the insert gives its own. */
    String[] tags() default {};

    /**
     * Middleware wrapping this worker only, outermost first, run after every global middleware (closest to
     * {@code perform}). Each class implements {@link JobMiddleware} for a {@link Worker} or
     * {@link ReactiveJobMiddleware} for a {@link ReactiveWorker}, has no scope annotation (a CDI bean implementing
     * those interfaces is already global) and is listed once; the build makes it a {@code @Singleton} bean.
     */
    Class<?>[] middleware() default {};

    /**
     * How many jobs of this kind may execute at once across the whole cluster, whatever their queue; 0 (the default)
     * means no limit. Jobs over the limit stay {@code available} until a running one finishes; they are never claimed
     * and snoozed. See also {@link RateLimit} and {@code docs/limits.md}.
     */
    int concurrency() default 0;

    /**
     * Runs this worker on a schedule: a cron expression at whose minutes a job of this kind (with empty args) is
     * inserted, once per scheduled minute across the cluster. Five fields ({@code "0 3 * * *"}: minute, hour, day of
     * month, month, day of week, with ranges, steps, lists and names) or a nickname ({@code "@hourly"},
     * {@code "@daily"}, {@code "@weekly"}, {@code "@monthly"}, {@code "@yearly"}). Empty (the default) means no
     * schedule. The entry is named after the kind, and {@code quarkus.shigoto.cron."<kind>".*} changes it. An invalid
     * expression fails the build. See {@code docs/cron.md}.
     */
    String cron() default "";

    /**
     * The time zone of {@link #cron()}: an IANA name such as {@code "Europe/Berlin"}. Empty (the default) means UTC.
     */
    String cronTimezone() default "";

    /**
     * Stores this worker's args and meta encrypted at rest (AES-256-GCM with the primary key of
     * {@code quarkus.shigoto.encryption.*}); they are decrypted only on the node that runs the job, for the worker.
     * The dashboard and the API show the key id, never the values. Needs a configured key: a start without one fails
     * naming the property; with {@link Unique} by args, a {@code hash-key} too. For a worker whose jobs hold
     * secrets only sometimes, see {@link JobRequest#encrypted()}. See {@code docs/encryption.md}.
     */
    boolean encrypted() default false;

    /**
     * Stores this worker's results encrypted at rest, as {@link #encrypted()} stores args (and independently of it):
     * for a worker that returns secrets. Jobs that depend on it get the result decrypted
     * ({@link JobContext#dependencyResults()}, {@link JobContext#stepResults()}), on the node that runs them;
     * {@link Shigoto#job(long)}, the dashboard and the API answer the envelope, with its key id. Needs a configured
     * key, like {@link #encrypted()}. See {@code docs/encryption.md}.
     */
    boolean encryptResult() default false;
}
