package io.quarkiverse.shigoto.it.testing;

import static io.quarkiverse.shigoto.testing.DrainOption.withRecursion;
import static io.quarkiverse.shigoto.testing.DrainOption.withScheduled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.docs.ManualTesting;
import io.quarkiverse.shigoto.it.workers.DependentWorker;
import io.quarkiverse.shigoto.it.workers.EchoWorker;
import io.quarkiverse.shigoto.it.workers.ScriptedWorker;
import io.quarkiverse.shigoto.it.workers.SignupWorker;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkiverse.shigoto.testing.Drained;
import io.quarkiverse.shigoto.testing.ShigotoTesting;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * {@code quarkus.shigoto.testing=manual}: inserts are stored and wait; a test runs them with {@code drainQueue} and
 * checks them with {@code assertEnqueued}. Each test uses a queue of its own, so jobs of other tests stay out of its
 * counts. The profile is the one the testing guide shows ({@link ManualTesting}).
 */
@QuarkusTest
@TestProfile(ManualTesting.class)
class ManualModeTest {

    @Inject
    ShigotoTesting testing;

    @Inject
    Shigoto shigoto;

    @Inject
    NodeHarness runtime;

    private static String queue() {
        return "manual-" + UUID.randomUUID();
    }

    @Test
    void noProducerRunsAndDrainingRunsTheQueuesJobsOnce() {
        assertThat(runtime.engine().producers()).isEmpty();
        String queue = queue();
        JobView first = shigoto.insert(JobRequest.of(EchoWorker.class).queue(queue).arg("result", "one"));
        JobView second = shigoto.insert(JobRequest.of(EchoWorker.class).queue(queue).arg("result", "two"));
        testing.assertEnqueued(JobFilter.all().queues(queue).args(Map.of("result", "one")));

        Drained drained = testing.drainQueue(queue);

        assertThat(drained).isEqualTo(new Drained(2, 0, 0, 0, 0));
        assertThat(shigoto.job(first.id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(shigoto.job(second.id()).orElseThrow().result()).isEqualTo("two");
        testing.refuteEnqueued(JobFilter.all().queues(queue));
        assertThat(testing.drainQueue(queue).ran()).isZero();
    }

    @Test
    void outcomesAreCountedAndScheduledJobsWaitUnlessAskedFor() {
        String queue = queue();
        shigoto.insert(JobRequest.of(ScriptedWorker.class).queue(queue).arg("outcome", "error"));
        JobView snoozing = shigoto.insert(JobRequest.of(ScriptedWorker.class).queue(queue)
                .args(Map.of("outcome", "snooze", "seconds", 3600, "untilRun", 2)));
        shigoto.insert(JobRequest.of(ScriptedWorker.class).queue(queue).arg("outcome", "cancel"));
        JobView later = shigoto.insert(JobRequest.of(EchoWorker.class).queue(queue).scheduleIn(Duration.ofHours(1)));

        assertThat(testing.drainQueue(queue)).isEqualTo(new Drained(0, 1, 1, 0, 1));
        // the snoozed job and the one scheduled in an hour are not due
        assertThat(testing.drainQueue(queue).ran()).isZero();

        // with scheduled jobs: the snoozed one runs again (and completes on its second run), the later one runs,
        // and the failed one's retry too
        Drained scheduled = testing.drainQueue(queue, withScheduled());
        assertThat(scheduled.completed()).isEqualTo(2);
        assertThat(scheduled.ran()).isEqualTo(3);
        assertThat(shigoto.job(snoozing.id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(shigoto.job(later.id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void withRecursionJobsReleasedByTheDrainRunToo() {
        String queue = queue();
        JobView parent = shigoto.insert(JobRequest.of(EchoWorker.class).queue(queue));
        JobView child = shigoto.insert(JobRequest.of(DependentWorker.class).queue(queue).dependsOn(parent.id()));

        assertThat(testing.drainQueue(queue).ran()).isEqualTo(1);
        // the parent's completion released the child, which a drain without recursion leaves waiting
        assertThat(testing.assertEnqueued(JobFilter.all().queues(queue))).extracting(JobView::id)
                .containsExactly(child.id());

        String other = queue();
        JobView top = shigoto.insert(JobRequest.of(EchoWorker.class).queue(other));
        JobView below = shigoto.insert(JobRequest.of(DependentWorker.class).queue(other).dependsOn(top.id()));
        assertThat(testing.drainQueue(other, withRecursion())).isEqualTo(new Drained(2, 0, 0, 0, 0));
        assertThat(shigoto.job(below.id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void aFailedAssertionListsTheNearMissesWithRedactedArgs() {
        String email = "ada-" + UUID.randomUUID() + "@example.com";
        shigoto.insert(JobRequest.of(SignupWorker.class).args(Map.of("email", email, "password", "hunter2")));

        assertThatThrownBy(() -> testing.assertEnqueued(JobFilter.all().worker(SignupWorker.class)
                .args(Map.of("email", "nobody@example.com"))))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected a job enqueued matching")
                .hasMessageContaining("nobody@example.com")
                .hasMessageContaining("of kind signup")
                .hasMessageContaining(email)
                .hasMessageContaining("\"password\":\"***\"")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> testing.refuteEnqueued(JobFilter.all().args(Map.of("email", email))))
                .isInstanceOf(AssertionError.class).hasMessageContaining("found 1").hasMessageNotContaining("hunter2");
    }

    @Test
    void withinWaitsForAJobEnqueuedElsewhere() {
        String queue = queue();
        CompletableFuture<JobView> elsewhere = CompletableFuture
                .supplyAsync(() -> shigoto.insert(JobRequest.of(EchoWorker.class).queue(queue)));

        assertThat(testing.within(Duration.ofSeconds(10)).assertEnqueued(JobFilter.all().queues(queue)))
                .extracting(JobView::id).containsExactly(elsewhere.join().id());
        testing.within(Duration.ofMillis(100)).refuteEnqueued(JobFilter.all().queues(queue()));
        assertThatThrownBy(() -> testing.within(Duration.ofMillis(50)).assertEnqueued(JobFilter.all().queues(queue())))
                .isInstanceOf(AssertionError.class).hasMessageContaining("within PT0.05S");
    }

    @Test
    void performJobWorksInEveryMode() {
        assertThat(testing.performJob(EchoWorker.class, Map.of("result", "here")).value()).isEqualTo("here");
    }
}
