package io.quarkiverse.shigoto.it.middleware;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobMiddleware;
import io.quarkiverse.shigoto.JobResult;

/**
 * A per-worker middleware, listed after {@link TenantMiddleware}: calls {@code next} twice (a bug) when the job's meta
 * says {@code twice}.
 */
public class AuditMiddleware implements JobMiddleware {

    @Inject
    MiddlewareProbe probe;

    @Override
    public JobResult around(JobContext job, Next next) throws Exception {
        probe.step(job.id(), "> audit");
        JobResult result = next.proceed();
        if (MiddlewareProbe.asks(job, "twice")) {
            result = next.proceed();
        }
        probe.step(job.id(), "< audit");
        return result;
    }
}
