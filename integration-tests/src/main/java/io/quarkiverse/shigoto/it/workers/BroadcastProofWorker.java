package io.quarkiverse.shigoto.it.workers;

import java.util.Map;

import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * {@link ProofWorker}'s work and record in the {@code proof-broadcast} queue, which the multi-node test configures
 * as a broadcast queue: every node records its own delivery's run in {@code proof_runs}.
 */
@Job(kind = "proof-broadcast", queue = "proof-broadcast")
public class BroadcastProofWorker implements Worker {

    @Inject
    JobContext job;

    @Inject
    AgroalDataSource dataSource;

    @Override
    public JobResult perform(Map<String, Object> args) throws Exception {
        return ProofWorker.perform(job, dataSource, args);
    }
}
