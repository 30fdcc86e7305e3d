package io.quarkiverse.shigoto.it.workers;

import java.util.Map;

import jakarta.inject.Inject;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.ReactiveWorker;
import io.smallrye.mutiny.Uni;

/**
 * A reactive worker whose {@code Uni} never completes, to test the reactive timeout.
 */
@Job(kind = "reactive-hanging", timeout = "300ms", maxAttempts = 1)
public class ReactiveHangingWorker implements ReactiveWorker {

    @Inject
    JobContext job;

    @Inject
    JobProbe probe;

    @Override
    public Uni<JobResult> perform(Map<String, Object> args) {
        probe.ran(job, args);
        return Uni.createFrom().nothing();
    }
}
