package io.quarkiverse.shigoto.runtime.queue;

import java.util.List;

import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.Completion;
import io.quarkiverse.shigoto.runtime.worker.JobRequests;

/**
 * Traces inserts and attempts. {@link #NONE} when the application has no OpenTelemetry (or turned tracing off): the
 * engine and the client then skip every call, so tracing costs nothing without it.
 */
public interface Tracing {

    /** The meta key that carries a job's W3C trace context from its insert to its attempts. */
    String TRACEPARENT = JobRequests.TRACEPARENT;

    /** No tracing. */
    Tracing NONE = new Tracing() {
        @Override
        public Insert insert(List<String> kinds, List<String> queues) {
            return null;
        }

        @Override
        public Attempt attempt(ClaimedJob job, String node) {
            return null;
        }
    };

    /**
     * Starts the span of an insert, if the calling thread runs inside a traced span (an insert outside one, such as a
     * cron run, is not traced).
     *
     * @param kinds the kinds of the jobs inserted, one per job
     * @param queues their queues, one per job
     * @return the insert's span, or {@code null} when it is not traced
     */
    Insert insert(List<String> kinds, List<String> queues);

    /**
     * Starts the span of an attempt, on the thread (or Vert.x context) that runs it, and makes it current there.
     *
     * @return the attempt's span, or {@code null} when it is not traced
     */
    Attempt attempt(ClaimedJob job, String node);

    /** The span of one insert (of one job or a batch). */
    interface Insert {

        /** @return the W3C {@code traceparent} to store with each job, so its attempts join the insert's trace */
        String traceparent();

        /** Ends the span once the jobs are stored. */
        void stored(List<JobView> jobs);

        /** Ends the span with the failure that stopped the insert. */
        void failed(Throwable failure);
    }

    /** The span of one attempt. */
    interface Attempt {

        /** Records what the worker threw (or its {@code Uni} failed with). */
        void threw(Throwable failure);

        /** Ends the span with the attempt's outcome; later calls do nothing. */
        void ended(Completion outcome);

        /** Stops the span being current on the thread that runs the attempt (its own thread or context). */
        void leave();
    }
}
