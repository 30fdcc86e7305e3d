package io.quarkiverse.shigoto;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The callbacks shared by every worker. Implement {@link TypedWorker} or {@link TypedReactiveWorker} (with a record
 * or class of your own as {@code A}), or {@link Worker} or {@link ReactiveWorker} (args as a map), never this
 * interface directly.
 *
 * @param <A> the type the worker receives its args as
 */
public interface JobWorker<A> {

    /**
     * How long to wait before the next attempt after a failed one. The default is
     * {@code min(attempt^4 + random(0..30), 1800)} seconds.
     *
     * @param attempt the attempt that just failed, starting at 1
     * @param error the failure of that attempt
     * @return the delay before the job becomes available again; negative values count as zero
     */
    default Duration backoff(int attempt, JobError error) {
        return Backoff.exponential(attempt);
    }

    /**
     * Called once when a job of this kind is discarded after its last attempt failed. Runs on a shigoto callback thread
     * (without a request context) right after the discard is stored; if the node stops in between, the call is lost.
     * An exception thrown here is logged and otherwise ignored. The args come as the stored JSON object for every
     * worker, typed or not: a job may be discarded because its args no longer fit the worker's type.
     *
     * @param args the job's arguments
     * @param errors every error the job recorded, oldest first
     */
    default void onDiscard(Map<String, Object> args, List<JobError> errors) {
    }

    /**
     * What the dashboard (pages and JSON API) shows of a job's args: args may hold secrets or personal data that the
     * people watching jobs should not read. The default shows them as stored. For example:
     *
     * <pre>
     * &#64;Override
     * public Map&lt;String, Object&gt; redact(Map&lt;String, Object&gt; args) {
     *     Map&lt;String, Object&gt; shown = new HashMap&lt;&gt;(args);
     *     shown.replace("password", "***");
     *     return shown;
     * }
     * </pre>
     * <p>
     * It only changes what is displayed: the worker receives the args as stored, and filters still match them. The
     * values it hides (strings and numbers of at least 4 characters that the returned map no longer holds) are also
     * masked where they appear verbatim in the job's error messages and stack traces on the dashboard, and in the log
     * lines shigoto writes about this worker's failing callbacks.
     *
     * @param args the job's args as stored
     * @return the args to display
     */
    default Map<String, Object> redact(Map<String, Object> args) {
        return args;
    }
}
