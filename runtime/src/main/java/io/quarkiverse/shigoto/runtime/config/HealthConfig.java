package io.quarkiverse.shigoto.runtime.config;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * shigoto's health checks, registered at build time when the application has {@code quarkus-smallrye-health}.
 */
@ConfigMapping(prefix = "quarkus.shigoto.health")
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
public interface HealthConfig {

    /**
     * Whether shigoto adds its readiness check (database reachable, migrations applied) and liveness check (queue
     * producers alive) when the application has {@code quarkus-smallrye-health}.
     */
    @WithDefault("true")
    boolean enabled();
}
