package io.quarkiverse.shigoto.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.BatchRequest;
import io.quarkiverse.shigoto.BatchState;
import io.quarkiverse.shigoto.BatchView;
import io.quarkiverse.shigoto.Delivery;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.HoldingWorker;
import io.quarkiverse.shigoto.it.workers.JobProbe;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A broadcast queue on two nodes (this application's and a second engine, both running the {@code broadcast}
 * queue): every job is performed once on each, each node retries its own delivery, the broadcast finishes with the
 * outcome of all of them, a node that left counts as done, cancelling the broadcast stops every node's attempt, and a
 * retry by hand fans it out again.
 */
@QuarkusTest
class BroadcastQueueTest {

    private static final String QUEUE = "broadcast";
    private static final String SECOND = "broadcast-node-2";

    @Inject
    Shigoto shigoto;

    @Inject
    NodeHarness runtime;

    @Inject
    MovableClock clock;

    @Inject
    JobProbe probe;

    private Engine second;

    @BeforeEach
    void twoNodesRunTheQueue() {
        second = runtime.newEngine(runtime.settings(SECOND).withQueues(Map.of(QUEUE, 2)));
        second.start();
    }

    @AfterEach
    void stopTheSecondNode() {
        second.stop();
    }

    private JobView broadcast(Map<String, Object> args) {
        JobRequest request = JobRequest.of("scripted").queue(QUEUE);
        args.forEach(request::arg);
        return shigoto.insert(request);
    }

    private Map<String, Delivery> deliveriesByNode(long id) {
        return shigoto.deliveries(id).stream().collect(Collectors.toMap(Delivery::node, d -> d));
    }

    @Test
    void everyNodePerformsTheJobOnceAndTheBroadcastCompletesWhenAllHave() {
        JobView job = broadcast(Map.of("token", 1));
        JobView done = Jobs.awaitState(shigoto, job.id(), JobState.COMPLETED);

        Map<String, Delivery> deliveries = deliveriesByNode(job.id());
        assertThat(deliveries.keySet()).containsExactlyInAnyOrder(runtime.node(), SECOND);
        for (Delivery d : deliveries.values()) {
            assertThat(d.job().state()).isEqualTo(JobState.COMPLETED);
            assertThat(d.job().attempt()).isEqualTo(1);
            assertThat(d.job().id()).isNotEqualTo(job.id());
            assertThat(d.job().kind()).isEqualTo("scripted");
            assertThat(d.job().args()).containsEntry("token", 1);
            assertThat(probe.runs(d.job().id())).as("runs of the delivery on %s", d.node()).isEqualTo(1);
            assertThat(probe.seen(d.job().id()).node()).isEqualTo(d.node());
            assertThat(d.job().finishedAt()).isBeforeOrEqualTo(done.finishedAt());
        }
        assertThat(probe.runs(job.id())).as("the broadcast itself never runs").isZero();
        assertThat(done.attemptedBy()).isNull();
        assertThat(shigoto.deliveries(deliveries.get(SECOND).job().id())).as("a delivery has none").isEmpty();

        given().get("/shigoto/api/jobs/" + job.id()).then().statusCode(200)
                .body("deliveries.node", containsInAnyOrder(runtime.node(), SECOND))
                .body("deliveries.state", containsInAnyOrder("completed", "completed"));
        long delivery = deliveries.get(SECOND).job().id();
        given().get("/shigoto/api/jobs/" + delivery).then().statusCode(200)
                .body("broadcast.id", equalTo((int) job.id())).body("broadcast.node", equalTo(SECOND));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("shigoto_broadcast_fanned_out_total{queue=\"broadcast\"}")
                .contains("shigoto_broadcast_deliveries_total{queue=\"broadcast\"}")
                .contains("shigoto_broadcast_deliveries_abandoned_total{queue=\"broadcast\"}");
        given().get("/shigoto/queues").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("data-broadcast"));
        // the page watches its deliveries too, so it updates while only they change
        given().get("/shigoto/jobs/" + job.id()).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("data-watch=\"watch=job&amp;id=" + job.id() + "&amp;with="))
                .body(org.hamcrest.Matchers.containsString(Long.toString(delivery)));
        given().get("/shigoto/api/events?watch=job&id=" + job.id() + "&with=1,x").then().statusCode(400);
        given().get("/shigoto/jobs/" + job.id()).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("Deliveries"))
                .body(org.hamcrest.Matchers.containsString(SECOND));
    }

    @Test
    void aBurstOfBroadcastsFinishingTogetherOnBothNodesAllComplete() {
        List<JobRequest> burst = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            burst.add(JobRequest.of("scripted").queue(QUEUE).arg("token", 1000 + i));
        }
        List<JobView> jobs = shigoto.insertAll(burst);
        for (JobView j : jobs) {
            Jobs.awaitState(shigoto, j.id(), JobState.COMPLETED);
        }
        for (JobView j : jobs) {
            Map<String, Delivery> deliveries = deliveriesByNode(j.id());
            assertThat(deliveries.keySet()).as("deliveries of %d", j.id()).containsExactlyInAnyOrder(runtime.node(),
                    SECOND);
            for (Delivery d : deliveries.values()) {
                assertThat(d.job().state()).isEqualTo(JobState.COMPLETED);
                assertThat(probe.runs(d.job().id())).as("runs of delivery %d", d.job().id()).isEqualTo(1);
            }
        }
    }

    @Test
    void aNodeRetriesItsOwnDeliveryWhileTheBroadcastWaitsForIt() {
        JobView job = broadcast(Map.of("outcome", "error", "onNode", SECOND, "untilAttempt", 2));
        await().atMost(Jobs.PATIENCE).until(() -> {
            Delivery d = deliveriesByNode(job.id()).get(SECOND);
            return d != null && d.job().state() == JobState.RETRYABLE;
        });
        assertThat(shigoto.job(job.id()).orElseThrow().state()).as("while a delivery waits for its retry")
                .isEqualTo(JobState.EXECUTING);
        clock.advance(Duration.ofSeconds(2));
        Jobs.awaitState(shigoto, job.id(), JobState.COMPLETED);

        Map<String, Delivery> deliveries = deliveriesByNode(job.id());
        assertThat(deliveries.get(SECOND).job().attempt()).isEqualTo(2);
        assertThat(deliveries.get(SECOND).job().errors()).hasSize(1);
        assertThat(deliveries.get(runtime.node()).job().attempt()).as("the other node ran it once").isEqualTo(1);
        assertThat(probe.runs(deliveries.get(runtime.node()).job().id())).isEqualTo(1);
    }

    @Test
    void oneDiscardedDeliveryDiscardsTheBroadcastAndARetryByHandFansItOutAgain() {
        JobRequest request = JobRequest.of("scripted").queue(QUEUE).maxAttempts(1).arg("token", 3)
                .arg("outcome", "error").arg("onNode", SECOND);
        JobView job = shigoto.insert(request);
        Jobs.awaitState(shigoto, job.id(), JobState.DISCARDED);
        Map<String, Delivery> first = deliveriesByNode(job.id());
        assertThat(first.get(SECOND).job().state()).isEqualTo(JobState.DISCARDED);
        assertThat(first.get(runtime.node()).job().state()).isEqualTo(JobState.COMPLETED);

        // the second node now completes it: stopped and started as a node whose deliveries succeed is not possible
        // with the same args, so retry the discarded delivery alone, which reopens the broadcast
        assertThat(shigoto.retry(first.get(SECOND).job().id())).isTrue();
        await().atMost(Jobs.PATIENCE).until(() -> shigoto.job(first.get(SECOND).job().id()).orElseThrow()
                .state() == JobState.DISCARDED && shigoto.job(first.get(SECOND).job().id()).orElseThrow().attempt() == 2);
        Jobs.awaitState(shigoto, job.id(), JobState.DISCARDED);

        // retrying the broadcast fans it out again, to every node, and keeps the first fan-out's deliveries
        assertThat(shigoto.retry(job.id())).isTrue();
        await().atMost(Jobs.PATIENCE).until(() -> shigoto.deliveries(job.id()).size() == 4);
        Jobs.awaitState(shigoto, job.id(), JobState.DISCARDED);
        assertThat(shigoto.job(job.id()).orElseThrow().attempt()).as("fan-outs").isEqualTo(2);
    }

    @Test
    void aNodeThatLeftBeforePerformingItCountsAsDone() throws Exception {
        String ghost = "broadcast-ghost";
        try (Connection c = runtime.store().dataSource().getConnection()) {
            runtime.store().cluster().heartbeat(c, ghost, "nowhere", Instant.now(),
                    "{\"" + QUEUE + "\": {\"concurrency\": 1, \"running\": 0}}");
        }
        JobView job;
        try {
            job = broadcast(Map.of("token", 4));
            await().atMost(Jobs.PATIENCE).until(() -> deliveriesByNode(job.id()).containsKey(ghost));
            await().atMost(Jobs.PATIENCE).until(() -> deliveriesByNode(job.id()).values().stream()
                    .filter(d -> !d.node().equals(ghost)).allMatch(d -> d.job().state() == JobState.COMPLETED));
            assertThat(shigoto.job(job.id()).orElseThrow().state()).as("the ghost's delivery still waits")
                    .isEqualTo(JobState.EXECUTING);
        } finally {
            // the node leaves as a stopping node does: its row goes
            try (Connection c = runtime.store().dataSource().getConnection();
                    PreparedStatement st = c.prepareStatement(
                            "DELETE FROM " + runtime.store().schema().name() + ".shigoto_nodes WHERE id = ?")) {
                st.setString(1, ghost);
                st.executeUpdate();
            }
        }
        Jobs.awaitState(shigoto, job.id(), JobState.COMPLETED);
        Delivery abandoned = deliveriesByNode(job.id()).get(ghost);
        assertThat(abandoned.job().state()).isEqualTo(JobState.CANCELLED);
        assertThat(abandoned.job().attempt()).isZero();
        assertThat(abandoned.job().errors()).singleElement()
                .satisfies(e -> assertThat(e.message()).contains(ghost).contains("left the cluster"));
    }

    @Test
    void cancellingTheBroadcastStopsEveryNodesAttempt() {
        JobView job = shigoto.insert(JobRequest.of(HoldingWorker.class).queue(QUEUE));
        await().atMost(Jobs.PATIENCE).until(() -> {
            List<Delivery> d = shigoto.deliveries(job.id());
            return d.size() == 2 && d.stream().allMatch(x -> probe.runs(x.job().id()) == 1);
        });
        assertThat(shigoto.cancel(job.id())).isTrue();
        JobView cancelled = Jobs.awaitState(shigoto, job.id(), JobState.CANCELLED);
        assertThat(cancelled.finishedAt()).isNotNull();
        for (Delivery d : shigoto.deliveries(job.id())) {
            assertThat(d.job().state()).as("the delivery on %s", d.node()).isEqualTo(JobState.CANCELLED);
            await().atMost(Jobs.PATIENCE).until(() -> probe.wasInterrupted(d.job().id()));
        }
    }

    @Test
    void aBroadcastCountsInItsBatchAndReleasesItsDependents() {
        BatchView batch = shigoto.insertBatch(BatchRequest.of(JobRequest.of("scripted").queue(QUEUE).arg("token", 6)));
        await().atMost(Jobs.PATIENCE)
                .until(() -> shigoto.batch(batch.id()).orElseThrow().state() == BatchState.FINISHED);
        assertThat(shigoto.batch(batch.id()).orElseThrow().completed()).isEqualTo(1);

        JobView first = broadcast(Map.of("token", 7));
        JobView after = shigoto.insert(JobRequest.of("scripted").arg("token", 8).dependsOn(first.id()));
        Jobs.awaitState(shigoto, after.id(), JobState.COMPLETED);
        assertThat(shigoto.job(first.id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(Set.copyOf(deliveriesByNode(first.id()).keySet())).containsExactlyInAnyOrder(runtime.node(), SECOND);
    }
}
