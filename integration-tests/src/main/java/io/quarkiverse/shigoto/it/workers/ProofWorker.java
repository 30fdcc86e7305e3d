package io.quarkiverse.shigoto.it.workers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;

/**
 * Works for {@code args.millis} (default 5), then records the execution as a row of {@code proof_runs}
 * ({@code job_id, node, attempt, started_at, finished_at}; the multi-node test creates the table), committed before
 * the job's outcome is. Runs per job are counted in the database, so they survive the node that ran them: a node
 * killed after the row and before the outcome leaves a run the rescue repeats. Retries after 100 ms.
 */
@Job(kind = "proof", queue = "proof")
public class ProofWorker implements Worker {

    private static final String RECORD = "INSERT INTO proof_runs (job_id, node, attempt, started_at, finished_at)"
            + " VALUES (?, ?, ?, ?, ?)";

    @Inject
    JobContext job;

    @Inject
    AgroalDataSource dataSource;

    @Override
    public JobResult perform(Map<String, Object> args) throws Exception {
        return perform(job, dataSource, args);
    }

    /** Works for {@code args.millis}, then records the run in {@code proof_runs}. */
    static JobResult perform(JobContext job, AgroalDataSource dataSource, Map<String, Object> args) throws Exception {
        Instant started = Instant.now();
        Thread.sleep(((Number) args.getOrDefault("millis", 5)).longValue());
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(RECORD)) {
            st.setLong(1, job.id());
            st.setString(2, job.node());
            st.setInt(3, job.attempt());
            st.setTimestamp(4, Timestamp.from(started));
            st.setTimestamp(5, Timestamp.from(Instant.now()));
            st.executeUpdate();
        }
        return JobResult.ok();
    }

    @Override
    public Duration backoff(int attempt, JobError error) {
        return Duration.ofMillis(100);
    }
}
