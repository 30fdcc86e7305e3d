package io.quarkiverse.shigoto.runtime.tracing;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.api.OpenTelemetry;
import io.quarkiverse.shigoto.runtime.config.ShigotoConfig;
import io.quarkiverse.shigoto.runtime.queue.Tracing;

/**
 * Produces the OpenTelemetry tracing; registered by the build only when the application has
 * {@code quarkus-opentelemetry}, where it replaces the default {@link Tracing#NONE}.
 */
public class TracingProducer {

    @Produces
    @Singleton
    Tracing tracing(OpenTelemetry openTelemetry, ShigotoConfig config) {
        return config.tracing().enabled() ? new OpenTelemetryTracing(openTelemetry, config) : Tracing.NONE;
    }
}
