package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.QueueView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.ShigotoRuntime;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Pause, resume and scale are persisted and reach every node: the queue {@code pausable} is run by this application
 * and, in these tests, by a second node in the same JVM.
 */
@QuarkusTest
class QueueControlTest {

    private static final String QUEUE = "pausable";

    @Inject
    Shigoto shigoto;

    @Inject
    ShigotoRuntime runtime;

    private QueueView queue() {
        return shigoto.queues().stream().filter(q -> q.name().equals(QUEUE)).findFirst().orElseThrow();
    }

    private Engine secondNode(String id) {
        Engine second = runtime.newEngine(runtime.settings(id).withQueues(Map.of(QUEUE, 2)));
        second.start();
        return second;
    }

    @Test
    void aPausedQueueIsClaimedByNoNodeUntilResumedAndTheNewNodeStartsPaused() {
        shigoto.pauseQueue(QUEUE);
        Engine second = secondNode("pause-node");
        try {
            assertThat(second.producers().get(QUEUE).paused()).as("read at start").isTrue();
            assertThat(queue().paused()).isTrue();
            assertThat(queue().nodes()).containsKeys(runtime.node(), "pause-node");
            JobView job = shigoto.insert(JobRequest.of("echo").queue(QUEUE));
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> shigoto.job(job.id()).orElseThrow().state() == JobState.AVAILABLE);
            shigoto.resumeQueue(QUEUE);
            assertThat(queue().paused()).isFalse();
            awaitState(shigoto, job.id(), JobState.COMPLETED);
        } finally {
            shigoto.resumeQueue(QUEUE);
            second.stop();
        }
        assertThat(queue().nodes()).doesNotContainKey("pause-node");
    }

    @Test
    void pausingReachesARunningNodeWithinASecond() {
        Engine second = secondNode("pause-later-node");
        try {
            assertThat(second.producers().get(QUEUE).paused()).isFalse();
            shigoto.pauseQueue(QUEUE);
            await().atMost(Duration.ofSeconds(1)).until(() -> second.producers().get(QUEUE).paused()
                    && runtime.engine().producers().get(QUEUE).paused());
            shigoto.resumeQueue(QUEUE);
            await().atMost(Duration.ofSeconds(1)).until(() -> !second.producers().get(QUEUE).paused());
        } finally {
            shigoto.resumeQueue(QUEUE);
            second.stop();
        }
    }

    @Test
    void scalingChangesTheConcurrencyOnEveryNodeAndIsListed() {
        Engine second = secondNode("scale-node");
        try {
            shigoto.scaleQueue(QUEUE, 7);
            await().atMost(Duration.ofSeconds(1)).until(() -> second.producers().get(QUEUE).concurrency() == 7
                    && runtime.engine().producers().get(QUEUE).concurrency() == 7);
            assertThat(queue().concurrency()).isEqualTo(7);
            JobView job = shigoto.insert(JobRequest.of("echo").queue(QUEUE));
            awaitState(shigoto, job.id(), JobState.COMPLETED);
        } finally {
            shigoto.scaleQueue(QUEUE, 2);
            second.stop();
        }
    }

    @Test
    void badQueueNamesAndConcurrenciesAreRejected() {
        assertThatThrownBy(() -> shigoto.pauseQueue("no spaces")).isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("queue");
        assertThatThrownBy(() -> shigoto.scaleQueue(QUEUE, -1)).isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("-1");
    }
}
