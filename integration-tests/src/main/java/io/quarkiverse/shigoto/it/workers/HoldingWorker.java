package io.quarkiverse.shigoto.it.workers;

import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * Runs until the test releases it ({@link JobProbe#release(long)}) or it is cancelled, reporting
 * {@code args.progress} (when given) first. Records whether it saw its cancellation and the interrupt.
 */
@Job(kind = "holding", queue = "holding", timeout = "60s", maxAttempts = 1)
public class HoldingWorker implements Worker {

    @Inject
    JobContext job;

    @Inject
    JobProbe probe;

    @Override
    public JobResult perform(Map<String, Object> args) {
        probe.ran(job, args);
        if (args.get("progress") instanceof Number p) {
            job.reportProgress(p.intValue());
        }
        try {
            probe.awaitRelease(job.id());
        } catch (InterruptedException e) {
            probe.interrupted(job.id());
        }
        if (job.isCancelled()) {
            probe.sawCancellation(job.id());
        }
        if (args.get("finalProgress") instanceof Number p) {
            job.reportProgress(p.intValue());
        }
        return JobResult.ok("released");
    }
}
