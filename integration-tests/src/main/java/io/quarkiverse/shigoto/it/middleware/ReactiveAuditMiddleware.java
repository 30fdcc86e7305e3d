package io.quarkiverse.shigoto.it.middleware;

import java.time.Duration;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.ReactiveJobMiddleware;
import io.smallrye.mutiny.Uni;

/**
 * A per-worker reactive middleware: snoozes when the job's meta says {@code maintenance}, fails when it says
 * {@code explode}.
 */
public class ReactiveAuditMiddleware implements ReactiveJobMiddleware {

    @Inject
    MiddlewareProbe probe;

    @Override
    public Uni<JobResult> around(JobContext job, ReactiveNext next) {
        long id = job.id();
        probe.step(id, "> reactive-audit");
        if (MiddlewareProbe.asks(job, "maintenance")) {
            return Uni.createFrom().item(JobResult.snooze(Duration.ofHours(1)));
        }
        if (MiddlewareProbe.asks(job, "explode")) {
            return Uni.createFrom().failure(new IllegalStateException("reactive audit refused job " + id));
        }
        return next.proceed().invoke(() -> probe.step(id, "< reactive-audit"));
    }
}
