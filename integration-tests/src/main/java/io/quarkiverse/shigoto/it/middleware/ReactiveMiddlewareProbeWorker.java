package io.quarkiverse.shigoto.it.middleware;

import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.ReactiveWorker;
import io.smallrye.mutiny.Uni;

/**
 * The reactive worker under test: wrapped by the global reactive middleware, then its own.
 */
@Job(kind = MiddlewareProbe.REACTIVE_KIND, maxAttempts = 1, middleware = ReactiveAuditMiddleware.class)
public class ReactiveMiddlewareProbeWorker implements ReactiveWorker {

    @Inject
    JobContext job;

    @Inject
    MiddlewareProbe probe;

    @Override
    public Uni<JobResult> perform(Map<String, Object> args) {
        probe.step(job.id(), "perform on " + (Thread.currentThread().getName().contains("vert.x-eventloop") ? "event loop"
                : Thread.currentThread().getName()));
        return Uni.createFrom().item(JobResult.ok("performed"));
    }
}
