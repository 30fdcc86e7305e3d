package io.quarkiverse.shigoto.runtime.queue;

import java.sql.SQLException;
import java.util.List;

import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.JobWorker;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.Completion;
import io.quarkiverse.shigoto.runtime.store.Dependencies;

/**
 * Where a {@link JobExecutor} hands the outcomes of its attempts: the engine's {@link JobCompleter}, which stores
 * them, or the testing support's in-memory sink, which answers them to the test that ran the job.
 */
public interface AttemptSink {

    /**
     * Takes the classified outcome of an attempt.
     *
     * @param worker the job's worker, or {@code null} when it has none here
     * @param mayBlock whether the calling thread may wait (for room in the completer's intake)
     * @param limitedQueue the queue whose limit the attempt held, or {@code null}
     * @param runNanos how long the attempt ran, or {@code -1} when it failed before reaching its worker
     */
    void complete(ClaimedJob job, Completion completion, JobWorker worker, boolean mayBlock, String limitedQueue,
            long runNanos);

    /**
     * Hears what the worker (or a middleware answering for it) returned or threw, before it is classified. The
     * engine's sink ignores it.
     *
     * @param result the result, {@code null} when it threw or returned none
     * @param failure what it threw or failed with, or {@code null}
     */
    default void returned(ClaimedJob job, JobResult result, Throwable failure) {
    }

    /** Reads the stored results of a job's dependencies. */
    @FunctionalInterface
    interface DependencyResults {

        /** @return the results of the job's dependencies, in id order */
        List<Dependencies.Result> results(long id) throws SQLException;
    }
}
