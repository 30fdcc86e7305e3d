package io.quarkiverse.shigoto.bench.otel;

import java.util.Collection;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.ShutdownEvent;

/**
 * Receives every span through OpenTelemetry's batch processor and drops it: the benchmark measures what making and
 * batching the spans costs, not a collector. As a CDI bean it also keeps the OTLP exporter from starting.
 */
@Singleton
@Unremovable
public class DroppingSpanExporter implements SpanExporter {

    private final LongAdder spans = new LongAdder();

    /** Says in the run's log how many spans arrived: the tracing did run. */
    void report(@Observes ShutdownEvent event) {
        System.err.println("spans received by the dropping exporter: " + spans.sum());
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
        spans.add(batch.size());
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
