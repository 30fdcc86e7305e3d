package io.quarkiverse.shigoto.runtime.tracing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.quarkiverse.shigoto.JobError;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.runtime.config.ShigotoConfig;
import io.quarkiverse.shigoto.runtime.queue.Tracing;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.Completion;

/**
 * Tracing with the application's OpenTelemetry: an insert inside a traced span gets a {@code PRODUCER} span and
 * stores its W3C trace context in the job's meta ({@code traceparent}); each attempt runs in a {@code CONSUMER} span,
 * a child of that context (or linked to it, with {@code quarkus.shigoto.tracing.attempts=link}). Made by
 * {@link TracingProducer}, which the build registers only when the application has {@code quarkus-opentelemetry}, so
 * nothing here loads without it.
 */
public class OpenTelemetryTracing implements Tracing {

    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    static final AttributeKey<Long> BATCH_COUNT = AttributeKey.longKey("messaging.batch.message_count");
    static final AttributeKey<String> KIND = AttributeKey.stringKey("shigoto.job.kind");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("shigoto.job.attempt");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("shigoto.job.outcome");
    static final AttributeKey<String> NODE = AttributeKey.stringKey("shigoto.node");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final boolean linked;

    OpenTelemetryTracing(OpenTelemetry openTelemetry, ShigotoConfig config) {
        this.tracer = openTelemetry.getTracer("io.quarkiverse.shigoto");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.linked = config.tracing().attempts() == ShigotoConfig.TracingConfig.Attempts.LINK;
    }

    @Override
    public Insert insert(List<String> kinds, List<String> queues) {
        Context parent = Context.current();
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            return null;
        }
        String kind = kinds.stream().distinct().count() == 1 ? kinds.get(0) : null;
        String queue = queues.stream().distinct().count() == 1 ? queues.get(0) : null;
        SpanBuilder builder = tracer.spanBuilder(kind == null ? "shigoto insert" : "shigoto insert " + kind)
                .setSpanKind(SpanKind.PRODUCER).setParent(parent)
                .setAttribute(SYSTEM, "shigoto").setAttribute(OPERATION_NAME, "insert")
                .setAttribute(OPERATION_TYPE, "send");
        if (kind != null) {
            builder.setAttribute(KIND, kind);
        }
        if (queue != null) {
            builder.setAttribute(DESTINATION, queue);
        }
        if (kinds.size() > 1) {
            builder.setAttribute(BATCH_COUNT, (long) kinds.size());
        }
        Span span = builder.startSpan();
        String[] traceparent = new String[1];
        propagator.inject(parent.with(span), traceparent, (carrier, key, value) -> {
            if (TRACEPARENT.equals(key) && carrier != null) {
                carrier[0] = value;
            }
        });
        return new InsertSpan(span, traceparent[0]);
    }

    @Override
    public Attempt attempt(ClaimedJob job, String node) {
        String traceparent = traceparent(job.metaJson());
        Context created = traceparent == null ? null
                : propagator.extract(Context.root(), Map.of(TRACEPARENT, traceparent), GETTER);
        SpanBuilder builder = tracer.spanBuilder("shigoto perform " + job.kind()).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, "shigoto").setAttribute(OPERATION_NAME, "perform")
                .setAttribute(OPERATION_TYPE, "process").setAttribute(DESTINATION, job.queue())
                .setAttribute(MESSAGE_ID, Long.toString(job.id())).setAttribute(KIND, job.kind())
                .setAttribute(ATTEMPT, (long) job.attempt()).setAttribute(NODE, node);
        Span producer = created == null ? Span.getInvalid() : Span.fromContext(created);
        if (!producer.getSpanContext().isValid()) {
            builder.setNoParent();
        } else if (linked) {
            builder.setNoParent().addLink(producer.getSpanContext());
        } else {
            builder.setParent(created);
        }
        Span span = builder.startSpan();
        return new AttemptSpan(span, span.makeCurrent());
    }

    /**
     * @return the {@code traceparent} of a job's meta, found without parsing the rest of it (a W3C traceparent holds
     *         no character JSON escapes), or {@code null}
     */
    static String traceparent(String metaJson) {
        if (metaJson == null) {
            return null;
        }
        int key = metaJson.indexOf("\"" + TRACEPARENT + "\"");
        if (key < 0) {
            return null;
        }
        int colon = metaJson.indexOf(':', key + TRACEPARENT.length() + 2);
        int open = colon < 0 ? -1 : metaJson.indexOf('"', colon + 1);
        int close = open < 0 ? -1 : metaJson.indexOf('"', open + 1);
        if (close < 0 || !metaJson.substring(colon + 1, open).isBlank()) {
            return null;
        }
        return metaJson.substring(open + 1, close);
    }

    private static final class InsertSpan implements Insert {
        private final Span span;
        private final String traceparent;

        InsertSpan(Span span, String traceparent) {
            this.span = span;
            this.traceparent = traceparent;
        }

        @Override
        public String traceparent() {
            return traceparent;
        }

        @Override
        public void stored(List<JobView> jobs) {
            if (jobs.size() == 1) {
                span.setAttribute(MESSAGE_ID, Long.toString(jobs.get(0).id()));
            }
            span.end();
        }

        @Override
        public void failed(Throwable failure) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR, failure.getMessage());
            span.setAttribute(ERROR_TYPE, failure.getClass().getName());
            span.end();
        }
    }

    private static final class AttemptSpan implements Attempt {
        private final Span span;
        private final Scope scope;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile Throwable failure;

        AttemptSpan(Span span, Scope scope) {
            this.span = span;
            this.scope = scope;
        }

        @Override
        public void threw(Throwable failure) {
            this.failure = failure;
        }

        @Override
        public void ended(Completion outcome) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            JobState state = outcome.state();
            String name = switch (state) {
                case COMPLETED -> "completed";
                case RETRYABLE -> "failed";
                case SCHEDULED -> "snoozed";
                case DISCARDED -> "discarded";
                case CANCELLED -> "cancelled";
                default -> state.dbName();
            };
            span.setAttribute(OUTCOME, name);
            Throwable t = failure;
            if (t != null) {
                span.recordException(t);
            }
            // the stored error: the exception's class, or what failed without one (timeout, invalid-args, ...)
            JobError error = outcome.error();
            if (error != null) {
                span.setAttribute(ERROR_TYPE, error.type());
                if (state == JobState.RETRYABLE || state == JobState.DISCARDED) {
                    span.setStatus(StatusCode.ERROR, error.message());
                }
            }
            span.end();
        }

        @Override
        public void leave() {
            scope.close();
        }
    }
}
