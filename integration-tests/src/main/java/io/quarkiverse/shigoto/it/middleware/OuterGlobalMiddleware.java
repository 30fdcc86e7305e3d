package io.quarkiverse.shigoto.it.middleware;

import java.time.Duration;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobMiddleware;
import io.quarkiverse.shigoto.JobResult;

/**
 * A global middleware with the lowest priority, so the outermost: snoozes a traced job for an hour when its meta says
 * {@code maintenance}, without running the rest of the chain.
 */
@Singleton
@Priority(10)
public class OuterGlobalMiddleware implements JobMiddleware {

    @Inject
    MiddlewareProbe probe;

    @Override
    public JobResult around(JobContext job, Next next) throws Exception {
        if (!MiddlewareProbe.traced(job)) {
            return next.proceed();
        }
        probe.step(job.id(), "> global-outer");
        try {
            if (MiddlewareProbe.asks(job, "maintenance")) {
                return JobResult.snooze(Duration.ofHours(1));
            }
            return next.proceed();
        } finally {
            probe.step(job.id(), "< global-outer");
        }
    }
}
