package io.quarkiverse.shigoto.runtime.worker;

import java.util.List;

/**
 * The options of one {@code @Job} class, validated at build time and recorded for the runtime.
 *
 * @param kind the persisted kind
 * @param beanClass the worker's class name
 * @param queue the default queue
 * @param priority the default priority
 * @param maxAttempts the default attempt budget
 * @param timeoutMillis the time one attempt may take
 * @param tags the default tags
 * @param reactive whether the worker is a {@code ReactiveWorker}
 * @param unique the worker's {@code @Unique} options, or {@code null}
 */
public record WorkerDefinition(String kind, String beanClass, String queue, int priority, int maxAttempts,
        long timeoutMillis, List<String> tags, boolean reactive, UniqueSpec unique) {
}
