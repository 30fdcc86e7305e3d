package io.quarkiverse.shigoto.runtime.worker;

import java.util.List;

import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobMiddleware;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.ReactiveJobMiddleware;
import io.quarkiverse.shigoto.TypedReactiveWorker;
import io.quarkiverse.shigoto.TypedWorker;
import io.smallrye.mutiny.Uni;

/**
 * The middleware of one worker, outermost first, resolved once; runs them around the worker's {@code perform}.
 * <p>
 * Each attempt allocates one {@code Next} per middleware: each must know whether its own middleware already called
 * it, so that a second call fails instead of running the worker twice. Workers without middleware never get here.
 */
@SuppressWarnings({ "rawtypes", "unchecked" }) // the worker takes args of its own type, which the chain passes on
public final class MiddlewareChain {

    private final Object[] middleware;
    private final List<String> names;

    /**
     * @param middleware the instances, outermost first: {@link JobMiddleware} for a blocking worker,
     *        {@link ReactiveJobMiddleware} for a reactive one
     * @param names their class names, for error messages
     */
    MiddlewareChain(List<?> middleware, List<String> names) {
        this.middleware = middleware.toArray();
        this.names = List.copyOf(names);
    }

    /**
     * Runs the chain around a blocking worker.
     *
     * @param job the running job
     * @param worker the worker the chain ends in
     * @param args the job's arguments
     * @return the outcome, possibly {@code null} when the outermost middleware answered it
     * @throws Exception what a middleware or the worker threw
     */
    public JobResult perform(JobContext job, TypedWorker worker, Object args) throws Exception {
        return call(0, job, worker, args);
    }

    /**
     * Runs the chain around a reactive worker; its outermost middleware is called at once, on the calling thread.
     *
     * @param job the running job
     * @param worker the worker the chain ends in
     * @param args the job's arguments
     * @return the outcome, possibly {@code null} when the outermost middleware answered it
     */
    public Uni<JobResult> performReactive(JobContext job, TypedReactiveWorker worker, Object args) {
        return subscribe(0, job, worker, args);
    }

    private JobResult call(int index, JobContext job, TypedWorker worker, Object args) throws Exception {
        if (index == middleware.length) {
            return worker.perform(args);
        }
        return ((JobMiddleware) middleware[index]).around(job, new BlockingNext(index, job, worker, args));
    }

    private Uni<JobResult> subscribe(int index, JobContext job, TypedReactiveWorker worker, Object args) {
        if (index == middleware.length) {
            return worker.perform(args);
        }
        return ((ReactiveJobMiddleware) middleware[index]).around(job, new ReactiveNext(index, job, worker, args));
    }

    private IllegalStateException twice(int index, String what) {
        return new IllegalStateException("middleware " + names.get(index) + " " + what
                + " more than once in one attempt; the worker runs at most once per attempt");
    }

    /** Guards one {@code Next} against a second use; uncontended, so the lock costs next to nothing. */
    private abstract static class Once {
        private boolean used;

        synchronized boolean first() {
            boolean first = !used;
            used = true;
            return first;
        }
    }

    private final class BlockingNext extends Once implements JobMiddleware.Next {
        private final int index;
        private final JobContext job;
        private final TypedWorker worker;
        private final Object args;

        BlockingNext(int index, JobContext job, TypedWorker worker, Object args) {
            this.index = index;
            this.job = job;
            this.worker = worker;
            this.args = args;
        }

        @Override
        public JobResult proceed() throws Exception {
            if (!first()) {
                throw twice(index, "called next.proceed()");
            }
            JobResult result = call(index + 1, job, worker, args);
            return result == null ? JobResult.ok() : result;
        }
    }

    private final class ReactiveNext extends Once implements ReactiveJobMiddleware.ReactiveNext {
        private final int index;
        private final JobContext job;
        private final TypedReactiveWorker worker;
        private final Object args;
        private final Once subscribed = new Once() {
        };

        ReactiveNext(int index, JobContext job, TypedReactiveWorker worker, Object args) {
            this.index = index;
            this.job = job;
            this.worker = worker;
            this.args = args;
        }

        @Override
        public Uni<JobResult> proceed() {
            if (!first()) {
                throw twice(index, "called next.proceed()");
            }
            // deferred: a re-subscription (retry) would otherwise run the rest of the chain again
            return Uni.createFrom().deferred(() -> {
                if (!subscribed.first()) {
                    throw twice(index, "subscribed to next.proceed()");
                }
                Uni<JobResult> rest = subscribe(index + 1, job, worker, args);
                return rest == null ? Uni.createFrom().item(JobResult.ok()) : rest;
            }).map(result -> result == null ? JobResult.ok() : result);
        }
    }
}
