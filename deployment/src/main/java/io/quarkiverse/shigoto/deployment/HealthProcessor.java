package io.quarkiverse.shigoto.deployment;

import io.quarkiverse.shigoto.runtime.config.HealthConfig;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.smallrye.health.deployment.spi.HealthBuildItem;

/**
 * Adds shigoto's readiness and liveness checks when the application has SmallRye Health.
 */
class HealthProcessor {

    // names, not class literals: the checks' types come from the health extension, which the application may lack
    static final String READINESS = "io.quarkiverse.shigoto.runtime.health.ShigotoReadinessCheck";
    static final String LIVENESS = "io.quarkiverse.shigoto.runtime.health.ShigotoLivenessCheck";

    @BuildStep
    void healthChecks(HealthConfig config, Capabilities capabilities, BuildProducer<HealthBuildItem> checks) {
        if (capabilities.isPresent(Capability.SMALLRYE_HEALTH)) {
            checks.produce(new HealthBuildItem(READINESS, config.enabled()));
            checks.produce(new HealthBuildItem(LIVENESS, config.enabled()));
        }
    }
}
