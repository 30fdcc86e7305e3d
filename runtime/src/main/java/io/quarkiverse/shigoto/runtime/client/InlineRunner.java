package io.quarkiverse.shigoto.runtime.client;

import java.util.List;

import io.quarkiverse.shigoto.JobView;

/**
 * Runs committed jobs at once, for {@code quarkus.shigoto.testing=inline}: the test support implements it, and only
 * exists in tests.
 */
public interface InlineRunner {

    /**
     * Runs the available jobs among those just committed, on this thread, and waits until their outcomes are stored.
     *
     * @return the jobs as stored now, in the same order
     */
    List<JobView> runInline(List<JobView> committed);

    /**
     * Runs them from the completion of the JTA transaction that stored them: on a thread of their own (the committing
     * thread still belongs to the finished transaction), which the committing thread waits for.
     */
    void runAfterCommit(List<JobView> committed);
}
