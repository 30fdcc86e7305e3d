package io.quarkiverse.shigoto.bench.app;

import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * The benchmark's job: counts itself, and notes its start time when it is a latency probe ({@code args.probe}) or a
 * sampled job of a continuous scenario ({@code args.sample}).
 */
@Job(kind = "noop", queue = "bench")
public class NoopWorker implements Worker {

    @Inject
    BenchJobs jobs;

    @Override
    public JobResult perform(Map<String, Object> args) {
        Object probe = args.get("probe");
        if (probe != null) {
            jobs.startedNanos.put(((Number) probe).longValue(), System.nanoTime());
        }
        Object sample = args.get("sample");
        if (sample != null) {
            jobs.sampleStartedNanos.put(((Number) sample).longValue(), System.nanoTime());
        }
        jobs.performed.increment();
        return JobResult.ok();
    }
}
