package io.quarkiverse.shigoto.it.middleware;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.ReactiveJobMiddleware;
import io.smallrye.mutiny.Uni;

/**
 * A global reactive middleware: wraps every reactive worker, and traces the probe kind.
 */
@Singleton
public class ReactiveTraceMiddleware implements ReactiveJobMiddleware {

    @Inject
    MiddlewareProbe probe;

    @Override
    public Uni<JobResult> around(JobContext job, ReactiveNext next) {
        if (!MiddlewareProbe.traced(job)) {
            return next.proceed();
        }
        long id = job.id();
        probe.step(id, "> reactive-trace");
        return next.proceed().eventually(() -> probe.step(id, "< reactive-trace"));
    }
}
