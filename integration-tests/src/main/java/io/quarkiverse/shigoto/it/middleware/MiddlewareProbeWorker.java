package io.quarkiverse.shigoto.it.middleware;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * The blocking worker under test: wrapped by the global middleware, then its own.
 */
@Job(kind = MiddlewareProbe.KIND, maxAttempts = 1, middleware = { TenantMiddleware.class, AuditMiddleware.class })
public class MiddlewareProbeWorker implements Worker {

    @Inject
    JobContext job;

    @Inject
    MiddlewareProbe probe;

    @Override
    public JobResult perform(Map<String, Object> args) {
        probe.step(job.id(), "perform");
        return JobResult.ok("performed");
    }

    /** Far beyond any test: a failed job stays retryable instead of running again while other tests run. */
    @Override
    public Duration backoff(int attempt, JobError error) {
        return Duration.ofHours(1);
    }
}
