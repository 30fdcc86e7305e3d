package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.middleware.AuditMiddleware;
import io.quarkiverse.shigoto.it.middleware.InnerGlobalMiddleware;
import io.quarkiverse.shigoto.it.middleware.MiddlewareProbe;
import io.quarkiverse.shigoto.it.middleware.MiddlewareProbeWorker;
import io.quarkiverse.shigoto.it.middleware.OuterGlobalMiddleware;
import io.quarkiverse.shigoto.it.middleware.ReactiveAuditMiddleware;
import io.quarkiverse.shigoto.it.middleware.ReactiveMiddlewareProbeWorker;
import io.quarkiverse.shigoto.it.middleware.ReactiveTraceMiddleware;
import io.quarkiverse.shigoto.it.middleware.TenantMiddleware;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Middleware of the test app: two global ones ({@code OuterGlobalMiddleware} with {@code @Priority(10)},
 * {@code InnerGlobalMiddleware} without), two of the blocking probe worker's own, and a global and an own one around
 * the reactive probe worker. The global ones only trace the probe kinds, so the other tests' jobs pass through them
 * untouched.
 */
@QuarkusTest
class MiddlewareTest {

    @Inject
    Shigoto shigoto;

    @Inject
    MiddlewareProbe probe;

    @Inject
    WorkerCatalog catalog;

    private JobView probeJob(Map<String, Object> meta) {
        return shigoto.insert(JobRequest.of(MiddlewareProbeWorker.class).meta(meta));
    }

    @Test
    void theBuildRecordsEachWorkersChainGlobalsFirstInPriorityOrder() {
        assertThat(catalog.byKind(MiddlewareProbe.KIND).orElseThrow().middleware()).containsExactly(
                OuterGlobalMiddleware.class.getName(), InnerGlobalMiddleware.class.getName(),
                TenantMiddleware.class.getName(), AuditMiddleware.class.getName());
        assertThat(catalog.byKind("echo").orElseThrow().middleware()).containsExactly(
                OuterGlobalMiddleware.class.getName(), InnerGlobalMiddleware.class.getName());
        assertThat(catalog.byKind(MiddlewareProbe.REACTIVE_KIND).orElseThrow().middleware()).containsExactly(
                ReactiveTraceMiddleware.class.getName(), ReactiveAuditMiddleware.class.getName());
    }

    @Test
    void globalMiddlewareRunBeforeTheWorkersOwnWhichRunBeforePerform() {
        JobView job = probeJob(Map.of());
        JobView done = awaitState(shigoto, job.id(), JobState.COMPLETED);
        assertThat(done.result()).isEqualTo("performed");
        assertThat(probe.steps(job.id())).containsExactly("> global-outer", "> global-inner", "> tenant", "> audit",
                "perform", "< audit", "< tenant", "< global-inner", "< global-outer");
    }

    @Test
    void aMiddlewareReadsTheJobsArgs() {
        JobView job = shigoto.insert(JobRequest.of(MiddlewareProbeWorker.class).arg("tenant", "acme"));
        awaitState(shigoto, job.id(), JobState.COMPLETED);
        assertThat(probe.steps(job.id())).contains("> tenant acme");
    }

    @Test
    void aMiddlewareSnoozingDuringMaintenanceReschedulesWithoutRunningTheWorkerOrUsingAnAttempt() {
        Instant before = Instant.now();
        JobView job = probeJob(Map.of("maintenance", true));
        JobView snoozed = awaitState(shigoto, job.id(), JobState.SCHEDULED);
        assertThat(snoozed.attempt()).isZero();
        assertThat(snoozed.errors()).isEmpty();
        assertThat(snoozed.scheduledAt()).isAfter(before.plus(Duration.ofMinutes(59)));
        assertThat(probe.steps(job.id())).containsExactly("> global-outer", "< global-outer");
    }

    @Test
    void anExceptionInAMiddlewareIsAFailureWithItsStackTrace() {
        JobView job = probeJob(Map.of("explode", true));
        JobView discarded = awaitState(shigoto, job.id(), JobState.DISCARDED);
        assertThat(discarded.errors()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(IllegalStateException.class.getName());
            assertThat(e.message()).isEqualTo("no tenant for job " + job.id());
            assertThat(e.stacktrace()).contains(TenantMiddleware.class.getName() + ".around");
        });
        // the exception passes through the middleware above: the inner global one stops, the outer one's finally runs
        assertThat(probe.steps(job.id())).containsExactly("> global-outer", "> global-inner", "> tenant",
                "< global-outer");
    }

    @Test
    void aFailingAttemptIsRetryableWhileAttemptsRemain() {
        JobView job = shigoto.insert(JobRequest.of(MiddlewareProbeWorker.class).meta(Map.of("explode", true))
                .maxAttempts(5));
        JobView retryable = awaitState(shigoto, job.id(), JobState.RETRYABLE);
        assertThat(retryable.attempt()).isEqualTo(1);
        assertThat(retryable.errors()).singleElement()
                .satisfies(e -> assertThat(e.stacktrace()).contains(TenantMiddleware.class.getName()));
        assertThat(retryable.scheduledAt()).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
    }

    @Test
    void proceedingTwiceFailsNamingTheMiddlewareAndTheWorkerRunsOnce() {
        JobView job = probeJob(Map.of("twice", true));
        JobView discarded = awaitState(shigoto, job.id(), JobState.DISCARDED);
        assertThat(discarded.errors()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(IllegalStateException.class.getName());
            assertThat(e.message()).isEqualTo("middleware " + AuditMiddleware.class.getName()
                    + " called next.proceed() more than once in one attempt; the worker runs at most once per attempt");
        });
        assertThat(probe.steps(job.id())).containsOnlyOnce("perform");
    }

    @Test
    void jobsOfOtherWorkersPassThroughTheGlobalMiddlewareUntouched() {
        JobView job = shigoto.insert(JobRequest.of("echo").arg("result", "plain"));
        JobView done = awaitState(shigoto, job.id(), JobState.COMPLETED);
        assertThat(done.result()).isEqualTo("plain");
        assertThat(probe.steps(job.id())).isEmpty();
    }

    @Test
    void reactiveMiddlewareWrapAReactiveWorkerOnTheEventLoop() {
        JobView job = shigoto.insert(JobRequest.of(ReactiveMiddlewareProbeWorker.class));
        JobView done = awaitState(shigoto, job.id(), JobState.COMPLETED);
        assertThat(done.result()).isEqualTo("performed");
        assertThat(probe.steps(job.id())).containsExactly("> reactive-trace", "> reactive-audit",
                "perform on event loop", "< reactive-audit", "< reactive-trace");
    }

    @Test
    void aReactiveMiddlewareCanSnoozeWithoutRunningTheWorker() {
        JobView job = shigoto.insert(JobRequest.of(ReactiveMiddlewareProbeWorker.class)
                .meta(Map.of("maintenance", true)));
        JobView snoozed = awaitState(shigoto, job.id(), JobState.SCHEDULED);
        assertThat(snoozed.attempt()).isZero();
        assertThat(probe.steps(job.id())).containsExactly("> reactive-trace", "> reactive-audit", "< reactive-trace");
    }

    @Test
    void aFailedUniOfAReactiveMiddlewareIsAFailure() {
        JobView job = shigoto.insert(JobRequest.of(ReactiveMiddlewareProbeWorker.class)
                .meta(Map.of("explode", true)));
        JobView discarded = awaitState(shigoto, job.id(), JobState.DISCARDED);
        assertThat(discarded.errors()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(IllegalStateException.class.getName());
            assertThat(e.message()).isEqualTo("reactive audit refused job " + job.id());
            assertThat(e.stacktrace()).contains(ReactiveAuditMiddleware.class.getName());
        });
        assertThat(probe.steps(job.id())).doesNotContain("perform on event loop");
    }
}
