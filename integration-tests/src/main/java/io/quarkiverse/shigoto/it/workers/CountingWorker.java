package io.quarkiverse.shigoto.it.workers;

import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * A no-op on the {@code bulk} queue, counting its runs per job: the duplicate-claim test and the burn-down runner use
 * it.
 */
@Job(kind = "counting", queue = "bulk")
public class CountingWorker implements Worker {

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
