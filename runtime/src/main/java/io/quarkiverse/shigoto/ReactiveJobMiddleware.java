package io.quarkiverse.shigoto;

import io.smallrye.mutiny.Uni;

/**
 * Code that runs around every attempt of a {@link ReactiveWorker}, on the event loop: the non-blocking twin of
 * {@link JobMiddleware}, which cannot wrap a reactive worker because it would block the event loop.
 * <p>
 * The rules are those of {@link JobMiddleware}: every CDI bean implementing this interface is global and wraps every
 * {@link ReactiveWorker}, ordered by {@link jakarta.annotation.Priority @Priority} (lower first = outermost, those
 * without after those with, ties by class name); a class without a scope annotation listed on
 * {@link Job#middleware() @Job(middleware = ...)} wraps that worker only, after the global ones. The returned
 * {@code Uni} runs within the attempt's timeout; a failed {@code Uni} (or an exception thrown here) is a failure of
 * the attempt with its stack trace; a {@code null} {@code Uni} or item counts as {@link JobResult#ok()}.
 *
 * <pre>
 * &#64;ApplicationScoped
 * public class Timing implements ReactiveJobMiddleware {
 *     &#64;Override
 *     public Uni&lt;JobResult&gt; around(JobContext job, ReactiveNext next) {
 *         long start = System.nanoTime();
 *         return next.proceed().invoke(r -&gt; Log.infof("%s took %d µs", job.kind(), (System.nanoTime() - start) / 1000));
 *     }
 * }
 * </pre>
 *
 * A class may implement both interfaces to wrap workers of both kinds.
 */
public interface ReactiveJobMiddleware {

    /**
     * Runs around one attempt; must not block.
     *
     * @param job the job being run (the same as the injectable {@link JobContext})
     * @param next the rest of the chain: the following middleware, and finally the worker
     * @return the outcome of the attempt, usually {@code next.proceed()} or a transformation of it
     */
    Uni<JobResult> around(JobContext job, ReactiveNext next);

    /**
     * The rest of a reactive middleware chain.
     */
    @FunctionalInterface
    interface ReactiveNext {

        /**
         * Returns the rest of the chain (the following middleware, and finally the worker's {@code perform}) as a lazy
         * {@code Uni}: nothing runs until it is subscribed. May be called once and its {@code Uni} subscribed once
         * (no {@code retry()} of it): a second call or subscription fails with {@link IllegalStateException} naming
         * the middleware, so the worker never runs twice in one attempt.
         *
         * @return the outcome of the rest of the chain; never {@code null} and never emitting {@code null} (a
         *         {@code null} from below reads as {@link JobResult#ok()})
         */
        Uni<JobResult> proceed();
    }
}
