package io.quarkiverse.shigoto.deployment;

import java.util.Optional;

import io.quarkiverse.shigoto.runtime.config.MetricsConfig;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.metrics.MetricsCapabilityBuildItem;
import io.quarkus.runtime.metrics.MetricsFactory;

/**
 * Adds shigoto's meters when the application has Micrometer: the engine finds the counters and timers among its
 * outcome and insert listeners, and the gauges start with the application.
 */
class MetricsProcessor {

    // names, not class literals: the meters' types come from Micrometer, which the application may lack
    static final String JOB_METRICS = "io.quarkiverse.shigoto.runtime.metrics.JobMetrics";
    static final String STATE_GAUGES = "io.quarkiverse.shigoto.runtime.metrics.StateGauges";

    // Micrometer announces itself as the metrics capability (Capability.METRICS), which says which API it supports
    @BuildStep
    void meters(MetricsConfig config, Optional<MetricsCapabilityBuildItem> metrics,
            BuildProducer<AdditionalBeanBuildItem> beans) {
        if (config.enabled() && metrics.isPresent() && metrics.get().metricsSupported(MetricsFactory.MICROMETER)) {
            beans.produce(AdditionalBeanBuildItem.builder().setUnremovable().addBeanClasses(JOB_METRICS, STATE_GAUGES)
                    .build());
        }
    }
}
