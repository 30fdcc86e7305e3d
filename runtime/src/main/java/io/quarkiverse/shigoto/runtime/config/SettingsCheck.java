package io.quarkiverse.shigoto.runtime.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.Names;

/**
 * Checks the run-time settings the build cannot see, so a mistake stops the start with its property and value named
 * instead of leaving a queue silently idle: all problems at once, like the build's worker validation.
 */
public final class SettingsCheck {

    /** The largest concurrency of a queue, here and in {@code Shigoto.scaleQueue}. */
    public static final int MAX_CONCURRENCY = 10_000;

    private SettingsCheck() {
    }

    /** @return what is wrong with the queue and engine settings, one sentence per problem naming the property */
    public static List<String> problems(ShigotoConfig config) {
        List<String> problems = new ArrayList<>();
        config.queues().forEach((queue, q) -> {
            String key = "quarkus.shigoto.queues.\"" + queue + "\"";
            String name = Names.problem(queue);
            if (name != null) {
                problems.add(key + " is not a valid queue name: it " + name);
            }
            if (q.concurrency() < 0 || q.concurrency() > MAX_CONCURRENCY) {
                problems.add(key + ".concurrency must be between 0 and " + MAX_CONCURRENCY + " (0: this node does"
                        + " not run the queue), not " + q.concurrency());
            }
            ShigotoConfig.SheddingConfig s = q.shedding();
            if (q.broadcast() && q.fair()) {
                problems.add(key + ".broadcast and " + key + ".fair cannot both be true: a broadcast queue gives every"
                        + " node each job, so there is no share to make fair");
            }
            if (q.broadcast() && s.enabled()) {
                problems.add(key + ".broadcast and " + key + ".shedding.enabled cannot both be true: every node must"
                        + " perform a broadcast job, so none can be deferred for others");
            }
            if (s.enabled()) {
                positive(problems, key + ".shedding.target", s.target());
                positive(problems, key + ".shedding.interval", s.interval());
                positive(problems, key + ".shedding.defer", s.defer());
                if (s.rejectBelowPriority().isPresent() && (s.rejectBelowPriority().getAsInt() < Job.MIN_PRIORITY
                        || s.rejectBelowPriority().getAsInt() > Job.MAX_PRIORITY)) {
                    problems.add(key + ".shedding.reject-below-priority must be between " + Job.MIN_PRIORITY + " and "
                            + Job.MAX_PRIORITY + ", not " + s.rejectBelowPriority().getAsInt());
                }
            }
        });
        // intervals too small to be useful are raised to a floor where they are used; a negative one is a mistake
        notNegative(problems, "poll-interval", config.pollInterval());
        notNegative(problems, "stage-interval", config.stageInterval());
        notNegative(problems, "shutdown-timeout", config.shutdownTimeout());
        notNegative(problems, "cron-catch-up", config.cronCatchUp());
        notNegative(problems, "metrics.refresh-interval", config.metrics().refreshInterval());
        if (config.completerBatchSize() < 1) {
            problems.add("quarkus.shigoto.completer-batch-size must be at least 1, not " + config.completerBatchSize());
        }
        return problems;
    }

    /**
     * @param used the queues something of this application names: its workers' and its cron entries'
     * @return the configured queues none of them names, sorted: a producer runs for each, and only jobs inserted with
     *         an explicit queue reach it (a misspelt name, often)
     */
    public static Set<String> unusedQueues(Map<String, ShigotoConfig.QueueConfig> queues, Set<String> used) {
        Set<String> unused = new TreeSet<>();
        queues.forEach((queue, q) -> {
            if (q.concurrency() > 0 && !used.contains(queue)) {
                unused.add(queue);
            }
        });
        return unused;
    }

    private static void positive(List<String> problems, String property, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(property + " must be positive, not " + value);
        }
    }

    private static void notNegative(List<String> problems, String property, Duration value) {
        if (value.isNegative()) {
            problems.add("quarkus.shigoto." + property + " must not be negative, not " + value);
        }
    }
}
