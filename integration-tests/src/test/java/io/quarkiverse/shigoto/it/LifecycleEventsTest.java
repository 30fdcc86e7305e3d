package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobCancelled;
import io.quarkiverse.shigoto.JobCompleted;
import io.quarkiverse.shigoto.JobDeleted;
import io.quarkiverse.shigoto.JobDiscarded;
import io.quarkiverse.shigoto.JobEvent;
import io.quarkiverse.shigoto.JobFailed;
import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobInserted;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobRetried;
import io.quarkiverse.shigoto.JobSnoozed;
import io.quarkiverse.shigoto.JobStarted;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.QueueEvent;
import io.quarkiverse.shigoto.QueuePaused;
import io.quarkiverse.shigoto.QueueResumed;
import io.quarkiverse.shigoto.QueueScaled;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.ScriptedWorker;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Lifecycle events reach synchronous and asynchronous observers, each outcome once it is stored.
 */
@QuarkusTest
class LifecycleEventsTest {

    @Inject
    Shigoto shigoto;

    @Inject
    NodeHarness runtime;

    @Inject
    Observed observed;

    /** Records every lifecycle event, and the completions seen by an asynchronous observer. */
    @Singleton
    static class Observed {
        final List<JobEvent> events = new CopyOnWriteArrayList<>();
        final List<JobCompleted> async = new CopyOnWriteArrayList<>();
        final List<QueueEvent> queues = new CopyOnWriteArrayList<>();

        void on(@Observes JobEvent event) {
            events.add(event);
        }

        void on(@Observes QueueEvent event) {
            queues.add(event);
        }

        /** @return the events of a type about a job */
        <E extends JobEvent> List<E> of(long id, Class<E> type) {
            return events.stream().filter(e -> e.id() == id && type.isInstance(e)).map(type::cast).toList();
        }

        List<QueueEvent> queue(String queue) {
            return queues.stream().filter(e -> e.queue().equals(queue)).toList();
        }

        void onAsync(@ObservesAsync JobCompleted event) {
            async.add(event);
        }

        /** @return the events of a job's attempts (its {@link JobInserted} is asserted apart) */
        List<JobEvent> of(long id) {
            return events.stream().filter(e -> e.id() == id && !(e instanceof JobInserted)).toList();
        }

        List<JobInserted> inserted(long id) {
            return events.stream().filter(e -> e.id() == id && e instanceof JobInserted).map(JobInserted.class::cast)
                    .toList();
        }
    }

    @Test
    void anInsertIsAnnouncedOnceItCommitsAndNeverForARollback() {
        JobView committed = QuarkusTransaction.requiringNew()
                .call(() -> shigoto.insert(JobRequest.of("echo").queue("parked")));
        assertThat(observed.inserted(committed.id())).containsExactly(new JobInserted(committed.id(), "echo", "parked",
                0, runtime.node(), JobState.AVAILABLE, committed.scheduledAt()));
        long[] rolledBack = new long[1];
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                rolledBack[0] = shigoto.insert(JobRequest.of("echo").queue("parked")).id();
                // inside the transaction nothing is announced yet
                assertThat(observed.inserted(rolledBack[0])).isEmpty();
                throw new IllegalStateException("roll back");
            });
        } catch (IllegalStateException expected) {
            // the transaction rolled back
        }
        assertThat(rolledBack[0]).isPositive();
        assertThat(observed.inserted(rolledBack[0])).isEmpty();
        // an insert on its own commits at once
        JobView alone = shigoto.insert(JobRequest.of("echo").queue("parked"));
        assertThat(observed.inserted(alone.id())).hasSize(1);
    }

    private JobView scripted(Map<String, Object> args, int maxAttempts) {
        return shigoto.insert(JobRequest.of(ScriptedWorker.class).args(args).arg("token", 70).maxAttempts(maxAttempts));
    }

    @Test
    void aCompletedJobStartsThenCompletesOnThisNode() {
        JobView job = shigoto.insert(JobRequest.of("echo"));
        awaitState(shigoto, job.id(), JobState.COMPLETED);
        await().atMost(Jobs.PATIENCE).until(() -> observed.of(job.id()).size() == 2);
        assertThat(observed.of(job.id())).satisfiesExactly(
                e -> assertThat(e).isEqualTo(new JobStarted(job.id(), "echo", "default", 1, runtime.node())),
                e -> assertThat(e).isEqualTo(new JobCompleted(job.id(), "echo", "default", 1, runtime.node())));
        await().atMost(Jobs.PATIENCE).until(() -> observed.async.stream().anyMatch(e -> e.id() == job.id()));
    }

    @Test
    void failuresDiscardsSnoozesAndCancellationsAreAnnounced() {
        JobView failing = scripted(Map.of("outcome", "error"), 1);
        JobView retrying = scripted(Map.of("outcome", "error", "untilAttempt", 9), 3);
        JobView snoozing = scripted(Map.of("outcome", "snooze", "seconds", 3600), 3);
        JobView cancelling = scripted(Map.of("outcome", "cancel"), 3);
        await().atMost(Jobs.PATIENCE).until(() -> observed.of(failing.id()).stream().anyMatch(e -> e instanceof JobDiscarded)
                && observed.of(retrying.id()).stream().anyMatch(e -> e instanceof JobFailed)
                && observed.of(snoozing.id()).stream().anyMatch(e -> e instanceof JobSnoozed)
                && observed.of(cancelling.id()).stream().anyMatch(e -> e instanceof JobCancelled));
        JobDiscarded discarded = (JobDiscarded) observed.of(failing.id()).stream()
                .filter(e -> e instanceof JobDiscarded).findFirst().orElseThrow();
        assertThat(discarded.error().message()).isEqualTo("scripted failure on attempt 1");
        JobFailed failed = (JobFailed) observed.of(retrying.id()).stream().filter(e -> e instanceof JobFailed)
                .findFirst().orElseThrow();
        assertThat(failed.retryAt()).isAfter(failed.error().at());
        JobCancelled cancelled = (JobCancelled) observed.of(cancelling.id()).stream()
                .filter(e -> e instanceof JobCancelled).findFirst().orElseThrow();
        assertThat(cancelled.reason()).isEqualTo("scripted cancel");
        // each outcome is announced once it is stored
        assertThat(shigoto.job(snoozing.id()).orElseThrow().state()).isEqualTo(JobState.SCHEDULED);
    }

    @Test
    void snoozesCancelsRetriesAndDeletesByRequestAreAnnouncedOnTheNodeThatTookThem() {
        String tag = "events-" + UUID.randomUUID();
        JobView job = shigoto.insert(JobRequest.of("echo").queue("parked").tags(tag));
        JobView other = shigoto.insert(JobRequest.of("echo").queue("parked").tags(tag));
        String node = runtime.node();

        assertThat(shigoto.snooze(job.id(), Duration.ofHours(1))).isTrue();
        JobSnoozed snoozed = observed.of(job.id(), JobSnoozed.class).get(0);
        assertThat(snoozed).isEqualTo(new JobSnoozed(job.id(), "echo", "parked", 0, node, snoozed.until(), true));
        assertThat(snoozed.until()).isAfter(runtime.clock().instant().plus(Duration.ofMinutes(59)));

        assertThat(shigoto.cancelBy(JobFilter.all().tags(tag))).isEqualTo(2);
        assertThat(observed.of(job.id(), JobCancelled.class)).containsExactly(
                new JobCancelled(job.id(), "echo", "parked", 0, node, "cancelled by request", true));
        assertThat(observed.of(other.id(), JobCancelled.class)).hasSize(1);

        assertThat(shigoto.retry(job.id())).isTrue();
        assertThat(observed.of(job.id(), JobRetried.class)).containsExactly(
                new JobRetried(job.id(), "echo", "parked", 0, node, JobState.CANCELLED, JobState.AVAILABLE));
        assertThat(observed.of(other.id(), JobRetried.class)).isEmpty();

        assertThat(shigoto.deleteBy(JobFilter.all().tags(tag))).isEqualTo(2);
        assertThat(observed.of(job.id(), JobDeleted.class)).containsExactly(
                new JobDeleted(job.id(), "echo", "parked", 0, node, JobState.AVAILABLE));
        assertThat(observed.of(other.id(), JobDeleted.class)).containsExactly(
                new JobDeleted(other.id(), "echo", "parked", 0, node, JobState.CANCELLED));
        // an action that changes nothing announces nothing
        assertThat(shigoto.delete(job.id())).isFalse();
        assertThat(observed.of(job.id(), JobDeleted.class)).hasSize(1);
    }

    @Test
    void aControlActionInACallersTransactionIsAnnouncedAfterItCommitsAndNeverForARollback() {
        JobView job = shigoto.insert(JobRequest.of("echo").queue("parked"));
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                assertThat(shigoto.cancel(job.id())).isTrue();
                throw new IllegalStateException("roll back");
            });
        } catch (IllegalStateException expected) {
            // the transaction rolled back, and the cancel with it
        }
        assertThat(shigoto.job(job.id()).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
        assertThat(observed.of(job.id(), JobCancelled.class)).isEmpty();

        QuarkusTransaction.requiringNew().run(() -> {
            assertThat(shigoto.cancel(job.id())).isTrue();
            // inside the transaction nothing is announced yet
            assertThat(observed.of(job.id(), JobCancelled.class)).isEmpty();
        });
        assertThat(observed.of(job.id(), JobCancelled.class)).hasSize(1);
        shigoto.delete(job.id());
    }

    @Test
    void aCancelThroughTheDashboardApiIsAnnounced() {
        JobView job = shigoto.insert(JobRequest.of("echo").queue("parked"));
        given().header("X-Requested-By", "test").post("/shigoto/api/jobs/" + job.id() + "/cancel").then()
                .statusCode(200);
        assertThat(observed.of(job.id(), JobCancelled.class)).singleElement()
                .satisfies(c -> assertThat(c.byRequest()).isTrue());
        shigoto.delete(job.id());
    }

    @Test
    void pausingResumingAndScalingAQueueAreAnnounced() {
        String node = runtime.node();
        try {
            shigoto.pauseQueue("announced");
            shigoto.scaleQueue("announced", 0);
        } finally {
            shigoto.resumeQueue("announced");
        }
        assertThat(observed.queue("announced")).containsExactly(new QueuePaused("announced", node),
                new QueueScaled("announced", node, 0), new QueueResumed("announced", node));
    }
}
