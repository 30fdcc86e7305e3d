package io.quarkiverse.shigoto.bench.app;

import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/** {@link NoopWorker} with its args stored encrypted: the encrypted-* scenarios, for what encryption costs. */
@Job(kind = "noop-encrypted", queue = "bench", encrypted = true)
public class EncryptedNoopWorker implements Worker {

    @Inject
    BenchJobs jobs;

    @Override
    public JobResult perform(Map<String, Object> args) {
        jobs.performed.increment();
        return JobResult.ok();
    }
}
