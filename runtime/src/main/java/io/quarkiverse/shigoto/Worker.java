package io.quarkiverse.shigoto;

import java.util.Map;

/**
 * A blocking job worker that receives its args as a map: {@link #perform(Map)} runs on one of the queue's worker
 * threads, so it may block on I/O. Annotate the class with {@link Job}. For args of a type of your own, implement
 * {@link TypedWorker} instead.
 */
public interface Worker extends TypedWorker<Map<String, Object>> {

    /**
     * Runs one attempt of a job.
     *
     * @param args the job's arguments: the stored JSON object with string keys and JSON values ({@code String},
     *        {@code Number}, {@code Boolean}, {@code List}, {@code Map} or {@code null})
     * @return the outcome; an exception counts as a failure, like {@link JobResult#error(String)}
     * @throws Exception any failure; it is recorded with its stack trace and the job is retried or discarded
     */
    @Override
    JobResult perform(Map<String, Object> args) throws Exception;
}
