package io.quarkiverse.shigoto.it.workers;

import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * Fails its first attempt and uses the default backoff, to prove retries happen with the real formula (tests move the
 * clock instead of waiting up to 31 seconds).
 */
@Job(kind = "flaky", queue = "flaky")
public class FlakyWorker implements Worker {

    @Inject
    JobContext job;

    @Inject
    JobProbe probe;

    @Override
    public JobResult perform(Map<String, Object> args) {
        probe.ran(job, args);
        if (job.attempt() == 1) {
            throw new IllegalStateException("first attempt always fails");
        }
        return JobResult.ok();
    }
}
