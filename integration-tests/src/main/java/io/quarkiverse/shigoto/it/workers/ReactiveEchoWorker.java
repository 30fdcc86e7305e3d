package io.quarkiverse.shigoto.it.workers;

import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.ReactiveWorker;
import io.smallrye.mutiny.Uni;

/**
 * A reactive worker: completes with {@code args.result}, or fails when {@code args.fail} is true.
 */
@Job(kind = "reactive-echo", maxAttempts = 1)
public class ReactiveEchoWorker implements ReactiveWorker {

    @Inject
    JobContext job;

    @Inject
    JobProbe probe;

    @Override
    public Uni<JobResult> perform(Map<String, Object> args) {
        probe.ran(job, args);
        if (Boolean.TRUE.equals(args.get("fail"))) {
            return Uni.createFrom().failure(new IllegalArgumentException("reactive failure"));
        }
        return Uni.createFrom().item(JobResult.ok(args.get("result")));
    }
}
