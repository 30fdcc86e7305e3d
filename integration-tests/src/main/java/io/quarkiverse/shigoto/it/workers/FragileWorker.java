package io.quarkiverse.shigoto.it.workers;

import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.CircuitBreaker;
import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * Calls a service that may be down, behind a circuit breaker, for the breaker tests: it fails when its {@code fail}
 * arg is true. Four attempts, half of them failed, open the breaker for ten seconds; two successful trials close it
 * (application.properties raises the annotation's one to two, as a deployment may).
 */
@Job(kind = "fragile", queue = "fragile", maxAttempts = 1)
@CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = "10s", successThreshold = 1)
public class FragileWorker implements Worker {

    @Inject
    JobContext job;

    @Inject
    JobProbe probe;

    @Override
    public JobResult perform(Map<String, Object> args) {
        probe.ran(job, args);
        return Boolean.TRUE.equals(args.get("fail")) ? JobResult.error("the service is down") : JobResult.ok();
    }
}
