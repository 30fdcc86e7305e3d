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
 * Works {@code args.millis}, at most 2 at once across the cluster, on the {@code limited} queue.
 */
@Job(kind = "concurrency-limited", queue = "limited", concurrency = 2)
public class ConcurrencyLimitedWorker implements Worker {

    @Inject
    JobContext job;

    @Inject
    LimitProbe probe;

    @Override
    public JobResult perform(Map<String, Object> args) throws Exception {
        probe.started("concurrency-limited", job.id(), null);
        try {
            new CountDownLatch(1).await(((Number) args.getOrDefault("millis", 0)).longValue(), TimeUnit.MILLISECONDS);
        } finally {
            probe.finished("concurrency-limited");
        }
        return JobResult.ok();
    }
}
