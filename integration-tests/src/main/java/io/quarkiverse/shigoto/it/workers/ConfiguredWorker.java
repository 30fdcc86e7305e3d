package io.quarkiverse.shigoto.it.workers;

import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * Sets every {@code @Job} option to a non-default value, to test defaults and insert-time overrides.
 */
@Job(kind = "configured", queue = "configured", priority = 5, maxAttempts = 7, timeout = "2m", tags = { "alpha",
        "beta" })
public class ConfiguredWorker implements Worker {

    @Inject
    JobContext job;

    @Inject
    JobProbe probe;

    @Override
    public JobResult perform(Map<String, Object> args) {
        probe.ran(job, args);
        return JobResult.ok();
    }
}
