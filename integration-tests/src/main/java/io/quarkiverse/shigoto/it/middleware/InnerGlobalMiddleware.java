package io.quarkiverse.shigoto.it.middleware;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobMiddleware;
import io.quarkiverse.shigoto.JobResult;

/**
 * A global middleware without {@code @Priority}: it runs after (inside) those with one.
 */
@ApplicationScoped
public class InnerGlobalMiddleware implements JobMiddleware {

    @Inject
    MiddlewareProbe probe;

    @Override
    public JobResult around(JobContext job, Next next) throws Exception {
        if (!MiddlewareProbe.traced(job)) {
            return next.proceed();
        }
        probe.step(job.id(), "> global-inner");
        JobResult result = next.proceed();
        probe.step(job.id(), "< global-inner");
        return result;
    }
}
