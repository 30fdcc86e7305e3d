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
 * Blocks for {@code args.millis}, interruptibly, with a 500 ms timeout: long runs fail with a timeout and are
 * interrupted. Records whether it saw the interrupt.
 */
@Job(kind = "sleepy", queue = "sleepy", timeout = "500ms", maxAttempts = 1)
public class SleepyWorker implements Worker {

    @Inject
    JobContext job;

    @Inject
    JobProbe probe;

    @Override
    public JobResult perform(Map<String, Object> args) throws Exception {
        probe.ran(job, args);
        long millis = ((Number) args.getOrDefault("millis", 0)).longValue();
        try {
            // a latch nobody counts down: an interruptible wait of a bounded length
            new CountDownLatch(1).await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            probe.interrupted(job.id());
            throw e;
        }
        return JobResult.ok();
    }
}
