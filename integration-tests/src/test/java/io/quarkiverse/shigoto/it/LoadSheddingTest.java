package io.quarkiverse.shigoto.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.QueueOverloadedException;
import io.quarkiverse.shigoto.QueueShedding;
import io.quarkiverse.shigoto.QueueView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.JobProbe;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Load shedding of the {@code shedding} queue (application.properties: target and interval 300 ms, deferral by an
 * hour, inserts below priority 0 refused while it sheds), run by a second engine with one slot that a held job takes:
 * the backlog waits, the leader (this node) starts shedding, defers the lowest priority without using attempts,
 * keeps the highest, refuses low inserts on every node's client, and stops once the backlog is gone.
 */
@QuarkusTest
class LoadSheddingTest {

    private static final String QUEUE = "shedding";

    @Inject
    Shigoto shigoto;

    @Inject
    NodeHarness runtime;

    @Inject
    JobProbe probe;

    @Inject
    Changes changes;

    @Singleton
    static class Changes {
        final List<QueueShedding> seen = new CopyOnWriteArrayList<>();

        void on(@Observes QueueShedding event) {
            seen.add(event);
        }
    }

    private QueueView queue() {
        return shigoto.queues().stream().filter(q -> q.name().equals(QUEUE)).findFirst().orElseThrow();
    }

    @Test
    void aBacklogThatWaitsTooLongShedsTheLowestPriorityFirstAndRefusesLowInsertsUntilItClears() {
        Engine second = runtime.newEngine(runtime.settings("shedding-node-2").withQueues(Map.of(QUEUE, 1)));
        second.start();
        JobView held = shigoto.insert(JobRequest.of("holding").queue(QUEUE).priority(100));
        try {
            await().atMost(Jobs.PATIENCE).until(() -> probe.runs(held.id()) == 1);
            List<JobView> low = new ArrayList<>();
            List<JobView> high = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                low.add(shigoto.insert(JobRequest.of("echo").queue(QUEUE).priority(-10)));
                high.add(shigoto.insert(JobRequest.of("echo").queue(QUEUE).priority(10)));
            }
            await().atMost(Jobs.PATIENCE).until(() -> queue().shedding());
            await().atMost(Jobs.PATIENCE).until(() -> changes.seen.stream()
                    .anyMatch(e -> e.queue().equals(QUEUE) && e.shedding() && Integer.valueOf(-9).equals(e.shedBelow())));
            // the lowest priority is deferred, using no attempt; the highest waiting one never is
            await().atMost(Jobs.PATIENCE).until(() -> low.stream()
                    .allMatch(j -> shigoto.job(j.id()).orElseThrow().state() == JobState.SCHEDULED));
            for (JobView j : low) {
                assertThat(shigoto.job(j.id()).orElseThrow().attempt()).isZero();
            }
            for (JobView j : high) {
                assertThat(shigoto.job(j.id()).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
            }
            assertThatThrownBy(() -> shigoto.insert(JobRequest.of("echo").queue(QUEUE).priority(-1)))
                    .isInstanceOfSatisfying(QueueOverloadedException.class, e -> {
                        assertThat(e.queue()).isEqualTo(QUEUE);
                        assertThat(e.floor()).isZero();
                        assertThat(e.priority()).isEqualTo(-1);
                    }).hasMessageContaining("queue 'shedding' is overloaded and sheds load");
            assertThat(shigoto.jobs(JobFilter.all().queues(QUEUE).states(JobState.AVAILABLE, JobState.SCHEDULED), 0,
                    100)).as("nothing of the refused insert was stored").hasSize(10);
            String page = given().get("/shigoto/queues").then().statusCode(200).extract().asString();
            assertThat(page).contains("data-shedding");
            await().atMost(Jobs.PATIENCE).untilAsserted(() -> assertThat(given().get("/q/metrics").then()
                    .statusCode(200).extract().asString()).contains("shigoto_queue_shedding{queue=\"shedding\"} 1.0")
                    .containsPattern("shigoto_jobs_shed_total\\{queue=\"shedding\"} [1-9]")
                    .containsPattern("shigoto_jobs_rejected_total\\{queue=\"shedding\"} [1-9]"));
            // an insert at the floor is taken
            JobView atFloor = shigoto.insert(JobRequest.of("echo").queue(QUEUE).priority(0));

            // the backlog goes: the queue stops shedding, and takes low inserts again
            shigoto.deleteBy(JobFilter.all().queues(QUEUE).states(JobState.AVAILABLE, JobState.SCHEDULED));
            await().atMost(Jobs.PATIENCE).until(() -> !queue().shedding());
            await().atMost(Jobs.PATIENCE).until(() -> changes.seen.stream()
                    .anyMatch(e -> e.queue().equals(QUEUE) && !e.shedding()));
            JobView again = shigoto.insert(JobRequest.of("echo").queue(QUEUE).priority(-10));
            assertThat(again.id()).isGreaterThan(atFloor.id());
        } finally {
            probe.release(held.id());
            Jobs.awaitState(shigoto, held.id(), JobState.COMPLETED);
            shigoto.deleteBy(JobFilter.all().queues(QUEUE));
            second.stop();
        }
    }
}
