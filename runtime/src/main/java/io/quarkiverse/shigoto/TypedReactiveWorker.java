package io.quarkiverse.shigoto;

import io.smallrye.mutiny.Uni;

/**
 * A non-blocking job worker that receives its args as a type of its own, as {@link TypedWorker} does:
 * {@link #perform(Object)} is called on a Vert.x event loop and must not block. Annotate the class with {@link Job}.
 * {@link ReactiveWorker} is this interface with args as a map.
 *
 * @param <A> the args type: a record, or a class with a no-argument constructor
 */
public interface TypedReactiveWorker<A> extends JobWorker<A> {

    /**
     * Runs one attempt of a job.
     *
     * @param args the job's args, read from the stored JSON
     * @return the outcome; a failed {@code Uni} (or an exception thrown here) counts as a failure
     */
    Uni<JobResult> perform(A args);
}
