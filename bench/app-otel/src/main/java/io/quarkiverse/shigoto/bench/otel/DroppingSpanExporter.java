package io.quarkiverse.shigoto.bench.otel;

import java.util.Collection;
import java.util.concurrent.atomic.LongAdder;

import jakarta.inject.Singleton;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.Unremovable;

/**
 * Receives every span through OpenTelemetry's batch processor and drops it: the benchmark measures what making and
 * batching the spans costs, not a collector. As a CDI bean it also keeps the OTLP exporter from starting.
 */
@Singleton
@Unremovable
public class DroppingSpanExporter implements SpanExporter {

    private final LongAdder spans = new LongAdder();

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
        System.out.println("spans exported (and dropped): " + spans.sum());
        return CompletableResultCode.ofSuccess();
    }
}
