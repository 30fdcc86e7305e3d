package io.quarkiverse.shigoto.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobContext;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.test.QuarkusUnitTest;
import io.vertx.ext.web.Router;

/**
 * With {@code quarkus-opentelemetry}: a request that inserts a job has a producer span, and every attempt of the job
 * a consumer span in the same trace, a child of it; a failed attempt records its exception; a bulk insert is one span.
 */
class TracingTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.appWith("quarkus-opentelemetry")
            .withApplicationRoot(jar -> jar.addClasses(EmbeddedDatabase.class, Flaky.class, Spans.class, Routes.class))
            .overrideConfigKey("quarkus.otel.bsp.schedule.delay", "50ms")
            .overrideConfigKey("quarkus.otel.bsp.export.timeout", "1s")
            .overrideConfigKey("quarkus.otel.metrics.enabled", "false")
            .overrideConfigKey("quarkus.otel.logs.enabled", "false")
            .overrideConfigKey("quarkus.shigoto.queues.traced.concurrency", "2");

    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("shigoto.job.attempt");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("shigoto.job.outcome");
    static final AttributeKey<Long> BATCH = AttributeKey.longKey("messaging.batch.message_count");

    /** Fails its first attempt, completes its second; retries at once. */
    @Job(kind = "flaky-traced", queue = "traced", maxAttempts = 3)
    public static class Flaky implements Worker {
        @Inject
        JobContext job;

        @Override
        public JobResult perform(Map<String, Object> args) {
            if (job.attempt() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
            return JobResult.ok();
        }

        @Override
        public Duration backoff(int attempt, io.quarkiverse.shigoto.JobError error) {
            return Duration.ZERO;
        }
    }

    /** The spans the application exported, in memory. */
    @ApplicationScoped
    public static class Spans {
        @Produces
        @Singleton
        InMemorySpanExporter exporter() {
            return InMemorySpanExporter.create();
        }
    }

    /** A request that enqueues: {@code POST /enqueue?count=n}. */
    @ApplicationScoped
    public static class Routes {
        @Inject
        Shigoto shigoto;

        void routes(@Observes Router router) {
            router.post("/enqueue").blockingHandler(rc -> {
                int count = Integer.parseInt(rc.request().getParam("count"));
                List<JobRequest> requests = java.util.stream.IntStream.range(0, count)
                        .mapToObj(i -> JobRequest.of(Flaky.class)).toList();
                long first = count == 1 ? shigoto.insert(requests.get(0)).id() : shigoto.insertAll(requests).get(0).id();
                rc.response().end(Long.toString(first));
            });
        }
    }

    @Inject
    InMemorySpanExporter exporter;

    @Inject
    Shigoto shigoto;

    @BeforeEach
    void reset() {
        exporter.reset();
    }

    @Test
    void aRequestItsInsertAndEveryAttemptShareOneTrace() {
        long id = Long.parseLong(given().queryParam("count", 1).post("/enqueue").then().statusCode(200).extract()
                .asString());
        await().atMost(Duration.ofSeconds(20)).until(() -> shigoto.job(id).orElseThrow().state() == JobState.COMPLETED);
        List<SpanData> attempts = await().atMost(Duration.ofSeconds(10))
                .until(() -> spans(SpanKind.CONSUMER, "shigoto perform flaky-traced", id), s -> s.size() == 2);
        SpanData insert = spans(SpanKind.PRODUCER, "shigoto insert flaky-traced", id).get(0);
        SpanData request = exporter.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.SERVER && s.getSpanId().equals(insert.getParentSpanId()))
                .findFirst().orElseThrow();

        assertThat(request.getTraceId()).isEqualTo(insert.getTraceId());
        assertThat(insert.getAttributes().get(SYSTEM)).isEqualTo("shigoto");
        assertThat(insert.getAttributes().get(DESTINATION)).isEqualTo("traced");
        assertThat(attempts).allSatisfy(a -> {
            assertThat(a.getTraceId()).isEqualTo(insert.getTraceId());
            assertThat(a.getParentSpanId()).isEqualTo(insert.getSpanId());
            assertThat(a.getAttributes().get(SYSTEM)).isEqualTo("shigoto");
            assertThat(a.getAttributes().get(DESTINATION)).isEqualTo("traced");
        });
        SpanData failed = attempts.stream().filter(a -> a.getAttributes().get(ATTEMPT) == 1L).findFirst().orElseThrow();
        SpanData completed = attempts.stream().filter(a -> a.getAttributes().get(ATTEMPT) == 2L).findFirst()
                .orElseThrow();
        assertThat(failed.getAttributes().get(OUTCOME)).isEqualTo("failed");
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(failed.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
        assertThat(completed.getAttributes().get(OUTCOME)).isEqualTo("completed");
        assertThat(completed.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
        // the trace context travels in the job's meta
        assertThat(shigoto.job(id).orElseThrow().meta().get("traceparent")).asString()
                .contains(insert.getTraceId()).contains(insert.getSpanId());
    }

    @Test
    void aBulkInsertIsOneSpanWithItsCount() {
        long first = Long.parseLong(given().queryParam("count", 5).post("/enqueue").then().statusCode(200).extract()
                .asString());
        SpanData insert = await().atMost(Duration.ofSeconds(10))
                .until(() -> exporter.getFinishedSpanItems().stream()
                        .filter(s -> s.getKind() == SpanKind.PRODUCER && s.getAttributes().get(BATCH) != null)
                        .toList(), s -> s.size() == 1)
                .get(0);
        assertThat(insert.getAttributes().get(BATCH)).isEqualTo(5L);
        await().atMost(Duration.ofSeconds(20)).until(() -> shigoto.job(first + 4).orElseThrow().state() == JobState.COMPLETED);
    }

    @Test
    void anInsertOutsideATraceStoresNoTraceContext() {
        long id = shigoto.insert(JobRequest.of(Flaky.class).queue("untraced")).id();
        assertThat(shigoto.job(id).orElseThrow().meta()).doesNotContainKey("traceparent");
    }

    private List<SpanData> spans(SpanKind kind, String name, long id) {
        return exporter.getFinishedSpanItems().stream().filter(s -> s.getKind() == kind && s.getName().equals(name))
                .filter(s -> kind == SpanKind.PRODUCER || Long.toString(id).equals(s.getAttributes().get(MESSAGE_ID)))
                .toList();
    }
}
