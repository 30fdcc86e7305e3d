package io.quarkiverse.shigoto.it.workers;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * A worker whose args are stored encrypted, for the encryption tests: it records what it received and fails when its
 * {@code fail} arg is true, so its onDiscard sees the args too.
 */
@Job(kind = "secret-echo", queue = "secrets", maxAttempts = 1, encrypted = true)
public class SecretWorker implements Worker {

    @Inject
    JobContext job;

    @Inject
    JobProbe probe;

    @Override
    public JobResult perform(Map<String, Object> args) {
        probe.ran(job, args);
        return Boolean.TRUE.equals(args.get("fail")) ? JobResult.error("failed on purpose") : JobResult.ok();
    }

    @Override
    public void onDiscard(Map<String, Object> args, List<JobError> errors) {
        probe.discardedWith(args);
    }
}
