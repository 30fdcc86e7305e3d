package io.quarkiverse.shigoto.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.middleware.MiddlewareProbe;
import io.quarkiverse.shigoto.it.middleware.MiddlewareProbeWorker;
import io.quarkiverse.shigoto.it.workers.EchoWorker;
import io.quarkiverse.shigoto.it.workers.InvoiceArgs;
import io.quarkiverse.shigoto.it.workers.JobProbe;
import io.quarkiverse.shigoto.it.workers.ReactiveEchoWorker;
import io.quarkiverse.shigoto.it.workers.ReactiveHangingWorker;
import io.quarkiverse.shigoto.it.workers.ScriptedWorker;
import io.quarkiverse.shigoto.it.workers.SendInvoiceWorker;
import io.quarkiverse.shigoto.it.workers.SleepyWorker;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkiverse.shigoto.testing.PerformedJob;
import io.quarkiverse.shigoto.testing.ShigotoTesting;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@link ShigotoTesting#performJob}: one attempt of a worker in memory, through its middleware, timeout and outcome
 * classification, as a user's test would call it.
 */
@QuarkusTest
class PerformJobTest {

    private static final Logger LOG = Logger.getLogger(PerformJobTest.class);

    @Inject
    ShigotoTesting testing;

    @Inject
    Shigoto shigoto;

    @Inject
    JobProbe probe;

    @Inject
    NodeHarness runtime;

    @Inject
    MiddlewareProbe middleware;

    @Test
    void aTypedWorkerGetsItsRecordAndItsResultComesBackAsReturned() {
        PerformedJob done = testing.performJob(SendInvoiceWorker.class,
                new InvoiceArgs(42L, "EUR", List.of(new InvoiceArgs.Line("pen", 2), new InvoiceArgs.Line("ink", 3))));

        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.completed()).isTrue();
        assertThat(done.error()).isNull();
        assertThat((String) done.value()).startsWith("invoice 42 in EUR, 5 units")
                .endsWith("context: same object, currency EUR");
        assertThat(done.id()).isNegative();
    }

    @Test
    void nothingIsStored() {
        String token = UUID.randomUUID().toString();
        assertThat(testing.performJob(EchoWorker.class, Map.of("result", token)).value()).isEqualTo(token);
        assertThat(shigoto.jobs(JobFilter.all().args(Map.of("result", token)), 0, 10)).isEmpty();
    }

    @Test
    void theJobContextShowsTheRequestAndTheAttempt() {
        PerformedJob done = testing.performJob(JobRequest.of(EchoWorker.class).arg("n", 1).queue("mail")
                .priority(3).tags("a", "b").meta(Map.of("tenant", "acme")).maxAttempts(5).partitionKey("p1"), 4);

        JobProbe.Seen seen = probe.seen(done.id());
        assertThat(seen.attempt()).isEqualTo(4);
        assertThat(seen.maxAttempts()).isEqualTo(5);
        assertThat(seen.queue()).isEqualTo("mail");
        assertThat(seen.priority()).isEqualTo(3);
        assertThat(seen.tags()).containsExactly("a", "b");
        assertThat(seen.meta()).containsEntry("tenant", "acme");
        assertThat(seen.args()).containsEntry("n", 1);
        assertThat(done.attempt()).isEqualTo(4);
    }

    @Test
    void failuresAreClassifiedAsTheEngineWould() {
        Map<String, Object> error = Map.of("outcome", "error", "token", 9_001);
        // due times follow shigoto's clock, which other tests of this application move forward
        Instant before = runtime.clock().instant();
        PerformedJob first = testing.performJob(JobRequest.of(ScriptedWorker.class).args(error));
        assertThat(first.state()).isEqualTo(JobState.RETRYABLE);
        assertThat(first.error().message()).isEqualTo("scripted failure on attempt 1");
        // ScriptedWorker backs off one second
        assertThat(first.nextRunAt()).isBetween(before.plusMillis(900), runtime.clock().instant().plusSeconds(2));

        // the last attempt (ScriptedWorker allows 3) discards the job and calls onDiscard
        PerformedJob last = testing.performJob(JobRequest.of(ScriptedWorker.class).args(error), 3);
        assertThat(last.state()).isEqualTo(JobState.DISCARDED);
        assertThat(last.nextRunAt()).isNull();
        assertThat(probe.discards(9_001)).isEqualTo(1);

        PerformedJob thrown = testing.performJob(JobRequest.of(ScriptedWorker.class).arg("outcome", "throw"));
        assertThat(thrown.state()).isEqualTo(JobState.RETRYABLE);
        assertThat(thrown.failure()).isInstanceOf(IllegalStateException.class)
                .hasMessage("scripted exception on attempt 1");
        assertThat(thrown.error().type()).isEqualTo(IllegalStateException.class.getName());
        assertThat(thrown.result()).isNull();

        PerformedJob snoozed = testing.performJob(JobRequest.of(ScriptedWorker.class)
                .args(Map.of("outcome", "snooze", "seconds", 600)));
        assertThat(snoozed.state()).isEqualTo(JobState.SCHEDULED);
        assertThat(snoozed.nextRunAt()).isAfter(before.plusSeconds(599));
        assertThat(snoozed.result().snoozeDelay()).isEqualTo(Duration.ofMinutes(10));

        PerformedJob cancelled = testing.performJob(JobRequest.of(ScriptedWorker.class).arg("outcome", "cancel"));
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.result().reason()).isEqualTo("scripted cancel");
    }

    @Test
    void theWorkersTimeoutInterruptsItAndTheTestThreadIsNotLeftInterrupted() {
        // SleepyWorker: 500 ms timeout, one attempt
        PerformedJob timedOut = testing.performJob(JobRequest.of(SleepyWorker.class).arg("millis", 60_000));

        assertThat(timedOut.state()).isEqualTo(JobState.DISCARDED);
        assertThat(timedOut.error().type()).isEqualTo("timeout");
        assertThat(probe.wasInterrupted(timedOut.id())).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void theWorkersMiddlewareRunAroundIt() {
        PerformedJob done = testing.performJob(JobRequest.of(MiddlewareProbeWorker.class).arg("tenant", "acme"));

        assertThat(done.completed()).isTrue();
        assertThat(middleware.steps(done.id())).containsExactly("> global-outer", "> global-inner",
                "> tenant acme", "> audit", "perform", "< audit", "< tenant", "< global-inner", "< global-outer");
    }

    @Test
    void aMiddlewareThatThrowsIsTheAttemptsFailure() {
        PerformedJob failed = testing.performJob(JobRequest.of(MiddlewareProbeWorker.class)
                .meta(Map.of("explode", true)));

        assertThat(failed.failure()).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("no tenant");
        assertThat(middleware.steps(failed.id())).doesNotContain("perform");
    }

    @Test
    void reactiveWorkersAreAwaited() {
        PerformedJob done = testing.performJob(ReactiveEchoWorker.class, Map.of("result", "fine"));
        assertThat(done.value()).isEqualTo("fine");
        assertThat(done.completed()).isTrue();

        PerformedJob failed = testing.performJob(ReactiveEchoWorker.class, Map.of("fail", true));
        assertThat(failed.state()).isEqualTo(JobState.DISCARDED);
        assertThat(failed.failure()).isInstanceOf(IllegalArgumentException.class).hasMessage("reactive failure");

        PerformedJob hanging = testing.performJob(ReactiveHangingWorker.class, Map.of());
        assertThat(hanging.error().type()).isEqualTo("timeout");
    }

    @Test
    void badRequestsAreRefusedAsAnInsertWouldRefuseThem() {
        assertThatThrownBy(() -> testing.performJob(EchoWorker.class, Map.of("value", new Object())))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("value");
        assertThatThrownBy(() -> testing.performJob(JobRequest.of(ScriptedWorker.class), 4))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("max attempts (3)");
        assertThatThrownBy(() -> testing.performJob(JobRequest.of("no-such-kind")))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("no-such-kind");
    }

    /**
     * A thousand attempts in a row leave nothing behind (each ends its request context; none stays registered), and
     * their median time is logged for the notes; nothing is asserted about the time.
     */
    @Test
    void aThousandAttemptsInARow() {
        long[] nanos = new long[1_000];
        for (int i = 0; i < nanos.length; i++) {
            long t = System.nanoTime();
            PerformedJob done = testing.performJob(SendInvoiceWorker.class,
                    new InvoiceArgs(i, "EUR", List.of(new InvoiceArgs.Line("pen", 1))));
            nanos[i] = System.nanoTime() - t;
            assertThat(done.completed()).isTrue();
        }
        Arrays.sort(nanos);
        LOG.infof("performJob over %d calls: median %d µs, p90 %d µs, max %d µs", nanos.length,
                nanos[nanos.length / 2] / 1_000, nanos[nanos.length * 9 / 10] / 1_000, nanos[nanos.length - 1] / 1_000);
    }
}
