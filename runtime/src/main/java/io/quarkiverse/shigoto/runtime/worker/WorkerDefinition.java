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
 * @param middleware the class names of the middleware wrapping the worker, outermost first: the global ones of its
 *        kind in their build-time order, then its own from {@code @Job(middleware)}; empty for most workers, which the
 *        executor then calls directly
 * @param concurrency how many jobs of the kind may execute at once across the cluster; 0 for no limit
 * @param rateLimit how many attempts may start per {@code ratePerMillis}; 0 for no rate limit
 * @param ratePerMillis the rate limit's sliding window
 * @param cron the schedule of {@code @Job(cron)}, or {@code null} when the worker has none
 * @param cronTimezone the zone of {@code @Job(cronTimezone)}, or {@code null} for the default
 * @param argsType the class a {@code TypedWorker}'s args are read as, or {@code null} for a worker of map args
 * @param encrypted whether its args are stored encrypted ({@code @Job(encrypted = true)})
 * @param breaker its {@code @CircuitBreaker}, or {@code null}
 * @param encryptResult whether its results are stored encrypted ({@code @Job(encryptResult = true)})
 */
public record WorkerDefinition(String kind, String beanClass, String queue, int priority, int maxAttempts,
        long timeoutMillis, List<String> tags, boolean reactive, UniqueSpec unique, List<String> middleware,
        int concurrency, int rateLimit, long ratePerMillis, String cron, String cronTimezone, String argsType,
        boolean encrypted, BreakerSpec breaker, boolean encryptResult) {

    /** @return whether the worker receives its args as a type of its own rather than a map */
    public boolean typed() {
        return argsType != null;
    }

}
