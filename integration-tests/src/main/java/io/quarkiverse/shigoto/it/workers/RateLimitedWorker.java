package io.quarkiverse.shigoto.it.workers;

import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.RateLimit;
import io.quarkiverse.shigoto.Worker;

/**
 * At most 5 starts per second across the cluster, on the {@code limited} queue.
 */
@Job(kind = "rate-limited", queue = "limited")
@RateLimit(limit = 5, per = "1s")
public class RateLimitedWorker implements Worker {

    @Inject
    JobContext job;

    @Inject
    LimitProbe probe;

    @Override
    public JobResult perform(Map<String, Object> args) {
        probe.started("rate-limited", job.id(), null);
        probe.finished("rate-limited");
        return JobResult.ok();
    }
}
