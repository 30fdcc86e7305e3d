package io.quarkiverse.shigoto.it.middleware;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobMiddleware;
import io.quarkiverse.shigoto.JobResult;

/**
 * A per-worker middleware (no scope annotation: the build makes it a singleton bean, with injection): throws when the
 * job's meta says {@code explode}.
 */
public class TenantMiddleware implements JobMiddleware {

    @Inject
    MiddlewareProbe probe;

    @Override
    public JobResult around(JobContext job, Next next) throws Exception {
        probe.step(job.id(), "> tenant");
        if (MiddlewareProbe.asks(job, "explode")) {
            throw new IllegalStateException("no tenant for job " + job.id());
        }
        JobResult result = next.proceed();
        probe.step(job.id(), "< tenant");
        return result;
    }
}
