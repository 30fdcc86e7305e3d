package io.quarkiverse.shigoto.deployment;

import io.quarkiverse.shigoto.runtime.ClockProducer;
import io.quarkiverse.shigoto.runtime.EngineFactory;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkiverse.shigoto.runtime.NodeLifecycle;
import io.quarkiverse.shigoto.runtime.ShigotoBeans;
import io.quarkiverse.shigoto.runtime.client.HibernateReactiveJoin;
import io.quarkiverse.shigoto.runtime.client.ReactiveShigotoClient;
import io.quarkiverse.shigoto.runtime.client.ShigotoClient;
import io.quarkiverse.shigoto.runtime.dashboard.DashboardData;
import io.quarkiverse.shigoto.runtime.dashboard.ReencryptionRuns;
import io.quarkiverse.shigoto.runtime.queue.CircuitBreakers;
import io.quarkiverse.shigoto.runtime.queue.CurrentJob;
import io.quarkiverse.shigoto.runtime.queue.SheddingState;
import io.quarkiverse.shigoto.runtime.queue.ShigotoEvents;
import io.quarkiverse.shigoto.runtime.store.Migrator;
import io.quarkiverse.shigoto.runtime.tracing.TracingProducer;
import io.quarkiverse.shigoto.testing.ShigotoTesting;
import io.quarkus.arc.deployment.AdditionalBeanBuildItem;
import io.quarkus.arc.processor.BuiltinScope;
import io.quarkus.deployment.Capabilities;
import io.quarkus.deployment.Capability;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.LaunchModeBuildItem;
import io.quarkus.deployment.builditem.nativeimage.NativeImageResourceBuildItem;
import io.quarkus.runtime.LaunchMode;

/**
 * Wires the runtime: its beans, the optional Hibernate Reactive integration, and what a native image must include.
 */
class ShigotoProcessor {

    private static final String FEATURE = "shigoto";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    @BuildStep
    void beans(Capabilities capabilities, BuildProducer<AdditionalBeanBuildItem> beans) {
        beans.produce(AdditionalBeanBuildItem.builder().setUnremovable()
                .addBeanClasses(NodeLifecycle.class, ShigotoBeans.class, EngineFactory.class, NodeHarness.class,
                        ShigotoClient.class, ReactiveShigotoClient.class, CurrentJob.class, ClockProducer.class,
                        ShigotoEvents.class, DashboardData.class, ReencryptionRuns.class,
                        CircuitBreakers.class, SheddingState.class)
                .build());
        if (capabilities.isPresent(Capability.OPENTELEMETRY_TRACER)) {
            // replaces the default Tracing.NONE; without OpenTelemetry none of its classes is ever loaded
            beans.produce(AdditionalBeanBuildItem.unremovableOf(TracingProducer.class));
        }
        if (capabilities.isPresent(Capability.HIBERNATE_REACTIVE)) {
            beans.produce(AdditionalBeanBuildItem.builder().addBeanClass(HibernateReactiveJoin.class)
                    .setDefaultScope(BuiltinScope.SINGLETON.getName()).setUnremovable().build());
        }
    }

    /** The test support exists only in tests: no production application can drain queues or perform jobs with it. */
    @BuildStep
    void testSupport(LaunchModeBuildItem launchMode, BuildProducer<AdditionalBeanBuildItem> beans) {
        if (launchMode.getLaunchMode() == LaunchMode.TEST) {
            beans.produce(AdditionalBeanBuildItem.unremovableOf(ShigotoTesting.class));
        }
    }

    @BuildStep
    NativeImageResourceBuildItem migrations() {
        return new NativeImageResourceBuildItem(Migrator.resources());
    }
}
