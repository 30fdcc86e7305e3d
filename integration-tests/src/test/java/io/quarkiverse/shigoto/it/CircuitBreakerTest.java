package io.quarkiverse.shigoto.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.CircuitBreakerClosed;
import io.quarkiverse.shigoto.CircuitBreakerEvent;
import io.quarkiverse.shigoto.CircuitBreakerOpened;
import io.quarkiverse.shigoto.CircuitBreakerView;
import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.FragileWorker;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A circuit breaker across two nodes (this application's and a second engine, both running the {@code fragile}
 * queue): failures on either open it for both, its jobs then wait available without using an attempt, trials after
 * the delay close it or open it again, and a reset closes it by hand. The delay passes on the tests' movable clock.
 */
@QuarkusTest
class CircuitBreakerTest {

    private static final String KIND = "fragile";
    private static final String QUEUE = "fragile";

    @Inject
    Shigoto shigoto;

    @Inject
    NodeHarness runtime;

    @Inject
    MovableClock clock;

    @Inject
    Changes changes;

    private Engine second;

    @Singleton
    static class Changes {
        final List<CircuitBreakerEvent> seen = new CopyOnWriteArrayList<>();

        void on(@Observes CircuitBreakerEvent event) {
            seen.add(event);
        }
    }

    @BeforeEach
    void twoNodesAndAClosedBreaker() {
        shigoto.resetCircuitBreaker(KIND);
        second = runtime.newEngine(runtime.settings("breaker-node-2").withQueues(Map.of(QUEUE, 4)));
        second.start();
        changes.seen.clear();
    }

    @AfterEach
    void stopTheSecondNode() {
        second.stop();
        shigoto.resetCircuitBreaker(KIND);
    }

    private CircuitBreakerView breaker() {
        return shigoto.circuitBreakers().stream().filter(b -> b.kind().equals(KIND)).findFirst().orElseThrow();
    }

    private List<JobView> insert(int n, boolean fail) {
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(JobRequest.of(FragileWorker.class).arg("fail", fail));
        }
        return shigoto.insertAll(requests);
    }

    private void awaitState(List<JobView> jobs, JobState state) {
        for (JobView j : jobs) {
            Jobs.awaitState(shigoto, j.id(), state);
        }
    }

    /** Opens the breaker: four failed attempts, on whichever node claims them. */
    private void open() {
        awaitState(insert(4, true), JobState.DISCARDED);
        await().atMost(Jobs.PATIENCE).until(() -> breaker().state() == CircuitBreakerView.State.OPEN);
    }

    /** @return once a claim of the queue ran after the jobs were inserted: an unlimited job inserted with them ran */
    private void awaitAClaimOfTheQueue() {
        JobView echo = shigoto.insert(JobRequest.of("echo").queue(QUEUE));
        Jobs.awaitState(shigoto, echo.id(), JobState.COMPLETED);
    }

    @Test
    void failuresOpenItForBothNodesItsJobsWaitWithoutAttemptsAndTrialsCloseIt() {
        open();
        CircuitBreakerView open = breaker();
        assertThat(open.successThreshold()).as("the configuration's, over the annotation's 1").isEqualTo(2);
        assertThat(open.requestVolumeThreshold()).as("the annotation's").isEqualTo(4);
        assertThat(open.failures()).isZero();
        assertThat(open.reopensAt()).isAfter(clock.instant());
        assertThat(open.openedBy()).isNotNull();
        await().atMost(Jobs.PATIENCE).until(() -> changes.seen.stream().anyMatch(e -> e instanceof CircuitBreakerOpened));
        CircuitBreakerOpened opened = (CircuitBreakerOpened) changes.seen.stream()
                .filter(e -> e instanceof CircuitBreakerOpened).findFirst().orElseThrow();
        assertThat(opened.kind()).isEqualTo(KIND);
        assertThat(opened.failures()).isEqualTo(4);
        assertThat(opened.attempts()).isEqualTo(4);
        assertThat(opened.fromTrial()).isFalse();

        List<JobView> waiting = insert(3, false);
        awaitAClaimOfTheQueue();
        for (JobView j : waiting) {
            JobView now = shigoto.job(j.id()).orElseThrow();
            assertThat(now.state()).as("job %d while the breaker is open", j.id()).isEqualTo(JobState.AVAILABLE);
            assertThat(now.attempt()).isZero();
        }
        given().get("/shigoto/api/jobs/" + waiting.get(0).id()).then().statusCode(200)
                .body("waiting.code", org.hamcrest.Matchers.hasItem("circuit-breaker"));
        await().atMost(Jobs.PATIENCE).untilAsserted(() -> assertThat(given().get("/q/metrics").then().statusCode(200)
                .extract().asString()).contains("shigoto_circuit_breaker_state{kind=\"fragile\"} 2.0")
                .containsPattern("shigoto_circuit_breaker_changes_total\\{kind=\"fragile\",state=\"open\"} [1-9]"));
        String page = given().get("/shigoto/queues").then().statusCode(200).extract().asString();
        assertThat(page).contains("data-breaker=\"" + KIND + "\"").contains("data-breaker-state=\"open\"");

        clock.advance(Duration.ofSeconds(11));
        assertThat(breaker().state()).isEqualTo(CircuitBreakerView.State.HALF_OPEN);
        awaitAClaimOfTheQueue();
        awaitState(waiting, JobState.COMPLETED);
        await().atMost(Jobs.PATIENCE).until(() -> breaker().state() == CircuitBreakerView.State.CLOSED);
        await().atMost(Jobs.PATIENCE).until(() -> changes.seen.stream()
                .anyMatch(e -> e instanceof CircuitBreakerClosed c && !c.reset()));
        for (JobView j : waiting) {
            assertThat(shigoto.job(j.id()).orElseThrow().attempt()).as("job %d ran once", j.id()).isEqualTo(1);
        }
    }

    @Test
    void aFailedTrialOpensItAgainAndAResetClosesItByHand() {
        open();
        clock.advance(Duration.ofSeconds(11));
        List<JobView> trial = insert(1, true);
        awaitState(trial, JobState.DISCARDED);
        await().atMost(Jobs.PATIENCE).until(() -> changes.seen.stream()
                .anyMatch(e -> e instanceof CircuitBreakerOpened o && o.fromTrial()));
        assertThat(breaker().state()).isEqualTo(CircuitBreakerView.State.OPEN);
        assertThat(breaker().reopensAt()).isAfter(clock.instant());

        List<JobView> held = insert(2, false);
        assertThat(shigoto.resetCircuitBreaker(KIND)).isTrue();
        assertThat(breaker().state()).isEqualTo(CircuitBreakerView.State.CLOSED);
        awaitState(held, JobState.COMPLETED);
        assertThat(changes.seen).anyMatch(e -> e instanceof CircuitBreakerClosed c && c.reset());
        assertThat(shigoto.resetCircuitBreaker(KIND)).as("already closed").isFalse();
    }

    @Test
    void aResetOfAKindWithoutABreakerIsRefused() {
        assertThatThrownBy(() -> shigoto.resetCircuitBreaker("echo")).isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("job kind 'echo' has no @CircuitBreaker");
    }
}
