package io.quarkiverse.shigoto.bench.app;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * The overload scenarios' job: it takes {@link OverloadRun#JOB_MILLIS} of waiting (a call to a slow service), not of
 * CPU, so the queue's capacity is its slots divided by that time whatever the machine does.
 */
@Job(kind = "slow", queue = "overload")
public class SlowWorker implements Worker {

    @Override
    public JobResult perform(Map<String, Object> args) {
        try {
            TimeUnit.MILLISECONDS.sleep(OverloadRun.JOB_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return JobResult.ok();
    }
}
