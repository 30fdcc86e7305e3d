package io.quarkiverse.shigoto.it.middleware;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobMiddleware;
import io.quarkiverse.shigoto.JobResult;

/**
 * A per-worker middleware (no scope annotation: the build makes it a singleton bean, with injection): throws when the
 * job's meta says {@code explode}, and records the {@code tenant} arg when there is one.
 */
public class TenantMiddleware implements JobMiddleware {

    @Inject
    MiddlewareProbe probe;

    @Override
    public JobResult around(JobContext job, Next next) throws Exception {
        // middleware read the job's args like the worker does
        Object tenant = job.args().get("tenant");
        probe.step(job.id(), tenant == null ? "> tenant" : "> tenant " + tenant);
        if (MiddlewareProbe.asks(job, "explode")) {
            throw new IllegalStateException("no tenant for job " + job.id());
        }
        JobResult result = next.proceed();
        probe.step(job.id(), "< tenant");
        return result;
    }
}
