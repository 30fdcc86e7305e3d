package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.QueueView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeHarness;
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
    NodeHarness runtime;

    @Inject
    AgroalDataSource dataSource;

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

    @Test
    void aQueueNothingConfiguresCannotBePausedOrScaledByJavaOrApi() throws Exception {
        assertThatThrownBy(() -> shigoto.pauseQueue("shiping")).isInstanceOf(InvalidJobException.class)
                .hasMessageStartingWith("cannot pause queue 'shiping': no live node runs it and no @Job worker, cron"
                        + " entry or quarkus.shigoto.queues entry of this application names it (configured queues: ")
                .hasMessageContaining("pausable");
        assertThatThrownBy(() -> shigoto.scaleQueue("shiping", 3)).isInstanceOf(InvalidJobException.class)
                .hasMessageStartingWith("cannot scale queue 'shiping'");
        given().header("X-Requested-By", "test").post("/shigoto/api/queues/shiping/pause").then().statusCode(400)
                .body("error", startsWith("cannot pause queue 'shiping'"));
        assertThat(shigoto.queues()).extracting(QueueView::name).doesNotContain("shiping");
        assertThat(JobRows.single(dataSource, "SELECT count(*) FROM shigoto_queues WHERE name = 'shiping'")).isZero();
    }

    @Test
    void queuesConfiguredWithoutWorkersOrOnlyOnAnotherLiveNodeCanBePaused() {
        // "reports" is configured with concurrency 0 here: no producer, still a configured queue
        shigoto.pauseQueue("reports");
        shigoto.resumeQueue("reports");
        Engine second = runtime.newEngine(runtime.settings("other-queue-node").withQueues(Map.of("elsewhere", 1)));
        second.start();
        try {
            await().atMost(Jobs.PATIENCE).untilAsserted(() -> assertThat(shigoto.queues()).filteredOn(
                    q -> q.name().equals("elsewhere")).singleElement().satisfies(
                            q -> assertThat(q.nodes())
                                    .containsKey("other-queue-node")));
            shigoto.pauseQueue("elsewhere");
            assertThat(shigoto.queues()).filteredOn(q -> q.name().equals("elsewhere")).singleElement()
                    .satisfies(q -> assertThat(q.paused()).isTrue());
            shigoto.resumeQueue("elsewhere");
        } finally {
            second.stop();
        }
    }

    @Test
    void resumingAQueueNothingConfiguresIsAllowedAndForgetsIt() throws Exception {
        // a pause stored before unknown queues were refused (or for a queue since removed from every node)
        JobRows.execute(dataSource, "INSERT INTO shigoto_queues (name, paused, updated_at) VALUES ('retired', true,"
                + " now()) ON CONFLICT (name) DO UPDATE SET paused = true");
        assertThat(shigoto.queues()).filteredOn(q -> q.name().equals("retired")).singleElement()
                .satisfies(q -> assertThat(q.paused()).isTrue());
        shigoto.resumeQueue("retired");
        assertThat(shigoto.queues()).extracting(QueueView::name).doesNotContain("retired");
    }
}
