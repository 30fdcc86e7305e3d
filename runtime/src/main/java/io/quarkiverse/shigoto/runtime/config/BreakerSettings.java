package io.quarkiverse.shigoto.runtime.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.quarkiverse.shigoto.ShigotoException;
import io.quarkiverse.shigoto.runtime.worker.BreakerSpec;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.quarkiverse.shigoto.runtime.worker.WorkerDefinition;

/** The circuit breakers of this deployment: the workers' {@code @CircuitBreaker}, changed by the configuration. */
public final class BreakerSettings {

    static final String PREFIX = "quarkus.shigoto.circuit-breakers.";

    private BreakerSettings() {
    }

    /**
     * @return kind to breaker, for every kind that has one
     * @throws ShigotoException listing every entry that names no kind and every invalid value, each by its property
     */
    public static Map<String, BreakerSpec> resolve(Map<String, ShigotoConfig.BreakerConfig> configured,
            WorkerCatalog catalog) {
        Map<String, BreakerSpec> breakers = new TreeMap<>();
        for (WorkerDefinition d : catalog.all()) {
            if (d.breaker() != null) {
                breakers.put(d.kind(), d.breaker());
            }
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, ShigotoConfig.BreakerConfig> e : new TreeMap<>(configured).entrySet()) {
            String kind = e.getKey();
            String at = PREFIX + "\"" + kind + "\".";
            if (!catalog.kinds().contains(kind)) {
                problems.add(PREFIX + "\"" + kind + "\" names no job kind of this application (kinds: "
                        + catalog.kinds() + ")");
                continue;
            }
            ShigotoConfig.BreakerConfig c = e.getValue();
            if (c.enabled().isPresent() && !c.enabled().get()) {
                breakers.remove(kind);
                continue;
            }
            BreakerSpec base = breakers.getOrDefault(kind, BreakerSpec.DEFAULTS);
            int volume = c.requestVolumeThreshold().orElse(base.volume());
            double ratio = c.failureRatio().orElse(base.failureRatio());
            Duration delay = c.delay().orElse(Duration.ofMillis(base.delayMillis()));
            int trials = c.successThreshold().orElse(base.trials());
            int before = problems.size();
            if (volume < 1) {
                problems.add(at + "request-volume-threshold must be at least 1, was " + volume);
            }
            if (!(ratio > 0 && ratio <= 1)) {
                problems.add(at + "failure-ratio must be above 0 and at most 1, was " + ratio);
            }
            if (delay.isNegative() || delay.isZero()) {
                problems.add(at + "delay must be positive, was " + delay);
            }
            if (trials < 1) {
                problems.add(at + "success-threshold must be at least 1, was " + trials);
            }
            if (problems.size() == before) {
                breakers.put(kind, new BreakerSpec(volume, ratio, delay.toMillis(), trials));
            }
        }
        if (!problems.isEmpty()) {
            throw new ShigotoException("invalid shigoto circuit breaker configuration:\n  - "
                    + String.join("\n  - ", problems));
        }
        return breakers;
    }
}
