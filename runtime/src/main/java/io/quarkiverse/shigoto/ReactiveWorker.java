package io.quarkiverse.shigoto;

import java.util.Map;

import io.smallrye.mutiny.Uni;

/**
 * A non-blocking job worker that receives its args as a map: {@link #perform(Map)} is called on a Vert.x event loop
 * and must not block. Annotate the class with {@link Job}. For args of a type of your own, implement
 * {@link TypedReactiveWorker} instead.
 */
public interface ReactiveWorker extends TypedReactiveWorker<Map<String, Object>> {

    /**
     * Runs one attempt of a job.
     *
     * @param args the job's arguments, as for {@link Worker#perform(Map)}
     * @return the outcome; a failed {@code Uni} (or an exception thrown here) counts as a failure
     */
    @Override
    Uni<JobResult> perform(Map<String, Object> args);
}
