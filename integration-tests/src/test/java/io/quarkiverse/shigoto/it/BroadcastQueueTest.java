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
import io.quarkiverse.shigoto.JobFilter;
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
    void stopTheSecondNode() throws Exception {
        second.stop();
        sql("DELETE FROM {schema}.shigoto_nodes WHERE id LIKE 'ghost-%'");
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
    void oneDiscardedDeliveryDiscardsTheBroadcastAndRetryingTheDeliveryReopensIt() {
        // fails on the second node at its first run only; one attempt
        JobView job = shigoto.insert(JobRequest.of("scripted").queue(QUEUE).maxAttempts(1).arg("token", 3)
                .arg("outcome", "error").arg("onNode", SECOND).arg("untilRun", 2));
        Jobs.awaitState(shigoto, job.id(), JobState.DISCARDED);
        Map<String, Delivery> first = deliveriesByNode(job.id());
        assertThat(first.get(SECOND).job().state()).isEqualTo(JobState.DISCARDED);
        assertThat(first.get(runtime.node()).job().state()).isEqualTo(JobState.COMPLETED);

        // the delivery runs again on its node, and the broadcast, reopened, completes with it
        assertThat(shigoto.retry(first.get(SECOND).job().id())).isTrue();
        Jobs.awaitState(shigoto, job.id(), JobState.COMPLETED);
        Delivery retried = deliveriesByNode(job.id()).get(SECOND);
        assertThat(retried.job().state()).isEqualTo(JobState.COMPLETED);
        assertThat(probe.runs(retried.job().id())).isEqualTo(2);
        assertThat(probe.seen(retried.job().id()).node()).isEqualTo(SECOND);
        assertThat(shigoto.deliveries(job.id())).as("no new fan-out").hasSize(2);
    }

    @Test
    void retryingTheBroadcastWithItsDeliveryFansItOutOnceAndRunsNothingTwice() {
        JobView job = shigoto.insert(JobRequest.of("scripted").queue(QUEUE).maxAttempts(1).arg("token", 31)
                .arg("outcome", "error").arg("onNode", SECOND).tags("retried-together"));
        Jobs.awaitState(shigoto, job.id(), JobState.DISCARDED);
        long oldDelivery = deliveriesByNode(job.id()).get(SECOND).job().id();

        // one selection holds both the broadcast and its discarded delivery
        assertThat(shigoto.retryBy(JobFilter.all().tags("retried-together").states(JobState.DISCARDED)))
                .isEqualTo(2);
        await().atMost(Jobs.PATIENCE).until(() -> shigoto.deliveries(job.id()).size() == 4
                && shigoto.job(job.id()).orElseThrow().state() == JobState.DISCARDED);
        assertThat(shigoto.job(job.id()).orElseThrow().attempt()).as("fan-outs").isEqualTo(2);
        JobView old = shigoto.job(oldDelivery).orElseThrow();
        assertThat(old.state()).isEqualTo(JobState.CANCELLED);
        assertThat(old.errors()).last().satisfies(e -> assertThat(e.type()).isIn("superseded", "broadcast-over"));
        assertThat(probe.runs(oldDelivery)).as("the retried delivery of the first fan-out").isEqualTo(1);
        for (Delivery d : shigoto.deliveries(job.id())) {
            if (d.job().id() != oldDelivery) {
                assertThat(probe.runs(d.job().id())).as("runs of delivery %d", d.job().id()).isEqualTo(1);
            }
        }
    }

    @Test
    void aDependentCancelledBecauseTheBroadcastFailedIsCountedInItsBatch() {
        JobView failing = shigoto.insert(JobRequest.of("scripted").queue(QUEUE).maxAttempts(1).arg("token", 32)
                .arg("outcome", "error").arg("onNode", SECOND));
        BatchView batch = shigoto.insertBatch(BatchRequest.of(JobRequest.of("scripted").arg("token", 33)
                .dependsOn(failing.id())));
        Jobs.awaitState(shigoto, failing.id(), JobState.DISCARDED);
        await().atMost(Jobs.PATIENCE)
                .until(() -> shigoto.batch(batch.id()).orElseThrow().state() == BatchState.FINISHED);
        assertThat(shigoto.batch(batch.id()).orElseThrow().cancelled()).isEqualTo(1);
    }

    /**
     * Four nodes that leave without performing their delivery, as far as the cluster can tell: one stops (its row
     * goes), one goes silent, one stops running the queue, and one dies running its delivery's only attempt. They
     * register as a node does and the last one claims through the claim function itself; none runs an engine.
     */
    @Test
    void nodesThatLeftBeforePerformingItCountAsDone() throws Exception {
        List<String> ghosts = List.of("ghost-stopped", "ghost-silent", "ghost-unqueued", "ghost-died");
        for (String ghost : ghosts) {
            beat(ghost, "{\"" + QUEUE + "\": {\"concurrency\": 1, \"running\": 0}}");
        }
        JobView job;
        try {
            job = shigoto.insert(JobRequest.of("scripted").queue(QUEUE).maxAttempts(1).arg("token", 4));
            await().atMost(Jobs.PATIENCE).until(() -> deliveriesByNode(job.id()).keySet().containsAll(ghosts));
            await().atMost(Jobs.PATIENCE).until(() -> deliveriesByNode(job.id()).values().stream()
                    .filter(d -> !ghosts.contains(d.node())).allMatch(d -> d.job().state() == JobState.COMPLETED));
            assertThat(sql("SELECT count(*) FROM {schema}.shigoto_claim_deliveries('" + QUEUE + "', 10, now(),"
                    + " 'ghost-died')")).isEqualTo(1);
            assertThat(shigoto.job(job.id()).orElseThrow().state()).as("the ghosts' deliveries still wait")
                    .isEqualTo(JobState.EXECUTING);
        } finally {
            sql("DELETE FROM {schema}.shigoto_nodes WHERE id = 'ghost-stopped'");
            sql("UPDATE {schema}.shigoto_nodes SET heartbeat_at = now() - interval '1 hour'"
                    + " WHERE id IN ('ghost-silent', 'ghost-died')");
            beat("ghost-unqueued", "{\"other\": {\"concurrency\": 1, \"running\": 0}}");
        }
        Jobs.awaitState(shigoto, job.id(), JobState.COMPLETED);
        Map<String, Delivery> deliveries = deliveriesByNode(job.id());
        for (String ghost : List.of("ghost-stopped", "ghost-silent", "ghost-unqueued")) {
            Delivery abandoned = deliveries.get(ghost);
            assertThat(abandoned.job().state()).as(ghost).isEqualTo(JobState.CANCELLED);
            assertThat(abandoned.job().attempt()).isZero();
            assertThat(abandoned.job().errors()).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo("node-left");
                assertThat(e.message()).contains(ghost).contains("left the cluster");
            });
        }
        Delivery died = deliveries.get("ghost-died");
        assertThat(died.job().state()).as("rescued on its last attempt").isEqualTo(JobState.DISCARDED);
        assertThat(died.job().errors()).last().satisfies(e -> assertThat(e.type()).isEqualTo("node-lost"));
    }

    private void beat(String node, String queues) throws Exception {
        try (Connection c = runtime.store().dataSource().getConnection()) {
            runtime.store().cluster().heartbeat(c, node, "nowhere", Instant.now(), queues);
        }
    }

    /** @return the first column of the first row, or the update count */
    private long sql(String statement) throws Exception {
        try (Connection c = runtime.store().dataSource().getConnection();
                PreparedStatement st = c.prepareStatement(runtime.store().schema().render(statement))) {
            if (st.execute()) {
                try (java.sql.ResultSet rs = st.getResultSet()) {
                    return rs.next() ? rs.getLong(1) : 0;
                }
            }
            return st.getUpdateCount();
        }
    }

    @Test
    void failingDeliveriesOfAKindWithACircuitBreakerDoNotTripIt() {
        shigoto.resetCircuitBreaker("fragile");
        List<JobRequest> failing = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            failing.add(JobRequest.of(io.quarkiverse.shigoto.it.workers.FragileWorker.class).queue(QUEUE)
                    .arg("fail", true));
        }
        for (JobView j : shigoto.insertAll(failing)) {
            Jobs.awaitState(shigoto, j.id(), JobState.DISCARDED);
        }
        io.quarkiverse.shigoto.CircuitBreakerView breaker = shigoto.circuitBreakers().stream()
                .filter(b -> b.kind().equals("fragile")).findFirst().orElseThrow();
        assertThat(breaker.state()).isEqualTo(io.quarkiverse.shigoto.CircuitBreakerView.State.CLOSED);
        assertThat(breaker.failures()).as("8 failed deliveries, none counted").isZero();
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
