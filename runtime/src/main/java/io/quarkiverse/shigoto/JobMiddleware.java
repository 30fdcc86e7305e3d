package io.quarkiverse.shigoto;

/**
 * Code that runs around every attempt of a blocking {@link Worker}: logging, auditing, tenant set-up, or refusing to
 * run (for instance snoozing every job during maintenance).
 * <p>
 * A middleware is either <b>global</b> or <b>per worker</b>:
 * <ul>
 * <li>every CDI bean implementing this interface (a class with a scope annotation such as {@code @ApplicationScoped},
 * {@code @Singleton} or {@code @Dependent}) wraps every {@link Worker}; global middleware run in the order of their
 * {@link jakarta.annotation.Priority @Priority} (lower first, that is outermost), those without {@code @Priority}
 * after those with one, ties broken by class name;</li>
 * <li>a class without a scope annotation listed on {@link Job#middleware() @Job(middleware = ...)} wraps that worker
 * only, in the listed order, after all global middleware (closest to {@code perform}). The build makes it a
 * {@code @Singleton} bean, so it may inject other beans.</li>
 * </ul>
 * The chain runs inside the attempt's request context and within its timeout. Either call {@link Next#proceed()} once
 * and return (or adapt) its result, or return a {@link JobResult} of your own without calling it: that result is the
 * attempt's outcome and the worker does not run. An exception thrown here is a failure of the attempt, recorded with
 * its stack trace, exactly like one thrown by the worker; {@code null} counts as {@link JobResult#ok()}.
 *
 * <pre>
 * &#64;ApplicationScoped
 * &#64;Priority(10)
 * public class Maintenance implements JobMiddleware {
 *     &#64;Inject
 *     MaintenanceWindow window;
 *
 *     &#64;Override
 *     public JobResult around(JobContext job, Next next) throws Exception {
 *         return window.isOpen() ? JobResult.snooze(Duration.ofMinutes(5)) : next.proceed();
 *     }
 * }
 * </pre>
 *
 * A middleware instance is shared by every job it wraps, running at once on many threads: keep it free of per-job
 * fields. {@link ReactiveWorker}s are wrapped by {@link ReactiveJobMiddleware} instead.
 */
public interface JobMiddleware {

    /**
     * Runs around one attempt.
     *
     * @param job the job being run (the same as the injectable {@link JobContext})
     * @param next the rest of the chain: the following middleware, and finally the worker
     * @return the outcome of the attempt, usually the result of {@code next.proceed()}; {@code null} counts as
     *         {@link JobResult#ok()}
     * @throws Exception any failure; it is recorded with its stack trace and the job is retried or discarded
     */
    JobResult around(JobContext job, Next next) throws Exception;

    /**
     * The rest of a blocking middleware chain.
     */
    @FunctionalInterface
    interface Next {

        /**
         * Runs the following middleware, and finally the worker's {@code perform}. May be called once: a second call
         * throws {@link IllegalStateException} naming the middleware, so the worker never runs twice in one attempt.
         *
         * @return the outcome of the rest of the chain, never {@code null} (a {@code null} result reads as
         *         {@link JobResult#ok()})
         * @throws Exception what the rest of the chain threw
         */
        JobResult proceed() throws Exception;
    }
}
