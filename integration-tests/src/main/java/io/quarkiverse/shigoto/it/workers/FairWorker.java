package io.quarkiverse.shigoto.it.workers;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * Works {@code args.millis} on the fair queue {@code fair} (which no node runs unless a test starts an engine for it),
 * recording when each job started.
 */
@Job(kind = "fair-work", queue = "fair")
public class FairWorker implements Worker {

    @Inject
    JobContext job;

    @Inject
    LimitProbe probe;

    @Override
    public JobResult perform(Map<String, Object> args) throws Exception {
        probe.started("fair-work", job.id(), (String) args.get("tenant"));
        try {
            new CountDownLatch(1).await(((Number) args.getOrDefault("millis", 0)).longValue(), TimeUnit.MILLISECONDS);
        } finally {
            probe.finished("fair-work");
        }
        return JobResult.ok();
    }
}
