package io.quarkiverse.shigoto.runtime.config;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * shigoto's metrics, registered at build time when the application has {@code quarkus-micrometer}.
 */
@ConfigMapping(prefix = "quarkus.shigoto.metrics")
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
public interface MetricsConfig {

    /**
     * Whether shigoto publishes its metrics (job counters, execution and wait timers, jobs by state) when the
     * application has {@code quarkus-micrometer}.
     */
    @WithDefault("true")
    boolean enabled();
}
