package io.quarkiverse.shigoto.it.workers;

import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * Records the results of the jobs it depends on, then completes.
 */
@Job(kind = "dependent")
public class DependentWorker implements Worker {

    @Inject
    JobContext job;

    @Inject
    JobProbe probe;

    @Override
    public JobResult perform(Map<String, Object> args) {
        probe.ran(job, args);
        probe.dependencyResults(job.id(), job.dependencyResults());
        return JobResult.ok();
    }
}
