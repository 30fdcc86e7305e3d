package io.quarkiverse.shigoto.runtime.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.CircuitBreakerView;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.QueueView;
import io.quarkiverse.shigoto.runtime.store.KindLimit;
import io.quarkiverse.shigoto.runtime.store.WaitReads;

/**
 * The decision of "why is this job not running?" from given facts, for every reason (the integration test reads
 * the facts from a real database for the reasons a running application can be put in).
 */
class WhyWaitingTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    private static JobView job(JobState state, Instant due) {
        return new JobView(7, "resize", "media", state, 0, Map.of(), Map.of(), List.of(), state == JobState.RETRYABLE
                ? 2
                : 0, 5, List.of(), null, null, NOW.minusSeconds(60), due, null, null, null, 0, false);
    }

    private static QueueView queue(boolean paused, Map<String, Integer> nodes) {
        return new QueueView("media", paused, null, nodes);
    }

    private static WhyWaiting.Facts facts(JobView job, QueueView queue, Map<String, Long> executing, long ahead,
            List<WaitReads.Parent> parents, KindLimit limit, long kindExecuting, long kindStarted, boolean fair,
            long partitions, WaitReads.Holder holder) {
        return new WhyWaiting.Facts(job, NOW, queue, executing, ahead, parents, limit, kindExecuting, kindStarted,
                fair, partitions, holder, null);
    }

    private static List<String> codes(WhyWaiting.Facts f) {
        return WhyWaiting.decide(f).stream().map(WhyWaiting.Reason::code).toList();
    }

    private static String text(WhyWaiting.Facts f, String code) {
        return WhyWaiting.decide(f).stream().filter(r -> r.code().equals(code)).findFirst().orElseThrow().text();
    }

    private static final Map<String, Integer> TWO_NODES = Map.of("n1", 2, "n2", 3);

    @Test
    void anAvailableJobWithRoomShouldBeClaimedNowAndSaysWhichNodesHaveRoom() {
        WhyWaiting.Facts f = facts(job(JobState.AVAILABLE, NOW), queue(false, TWO_NODES), Map.of("n1", 2L, "n2", 1L),
                4, List.of(), null, 0, 0, false, 0, null);
        assertThat(codes(f)).containsExactly("claimable");
        assertThat(text(f, "claimable")).isEqualTo("Nothing holds it back: it should be claimed now, after the 4"
                + " available job(s) ahead of it. Node(s) with free slots for queue 'media': n2 (2 free).");
    }

    @Test
    void aPausedQueueAndAQueueNoLiveNodeRunsAreNamed() {
        assertThat(codes(facts(job(JobState.AVAILABLE, NOW), queue(true, TWO_NODES), Map.of(), 0, List.of(), null, 0,
                0, false, 0, null))).containsExactly("paused");
        WhyWaiting.Facts none = facts(job(JobState.AVAILABLE, NOW), null, Map.of(), 0, List.of(), null, 0, 0, false, 0,
                null);
        assertThat(codes(none)).containsExactly("no-node");
        assertThat(text(none, "no-node")).contains("quarkus.shigoto.queues.media.concurrency");
        assertThat(text(facts(job(JobState.AVAILABLE, NOW), queue(false, Map.of("n1", 0)), Map.of(), 0, List.of(),
                null, 0, 0, false, 0, null), "no-node")).isEqualTo("Queue 'media' has a concurrency of 0 on every"
                        + " live node (n1).");
    }

    @Test
    void fullSlotsAndFullLimitsAreCountedAndAFairQueueSaysHowManyPartitionsTakeTurns() {
        WhyWaiting.Facts full = facts(job(JobState.AVAILABLE, NOW), queue(false, TWO_NODES),
                Map.of("n1", 2L, "n2", 3L, "gone", 4L), 1000, List.of(), null, 0, 0, true, 12, null);
        assertThat(codes(full)).containsExactly("slots-full", "fair");
        assertThat(text(full, "slots-full")).isEqualTo("All 5 slots of queue 'media' on 2 live node(s) are busy;"
                + " 1000 or more available job(s) are ahead of it.");
        assertThat(text(full, "fair")).contains("12 other partition(s)");

        WhyWaiting.Facts limited = facts(job(JobState.AVAILABLE, NOW), queue(false, TWO_NODES), Map.of(), 0,
                List.of(), new KindLimit("resize", 2, 10, 60_000), 2, 10, false, 0, null);
        assertThat(codes(limited)).containsExactly("concurrency-limit", "rate-limit");
        assertThat(text(limited, "concurrency-limit")).isEqualTo("The concurrency limit of kind 'resize' is full: 2 of"
                + " 2 execute across the cluster.");
        assertThat(text(limited, "rate-limit")).isEqualTo("The rate limit of kind 'resize' is reached: 10 attempts"
                + " started in the last 1m, the limit is 10.");
    }

    @Test
    void scheduledAndRetryableJobsSayWhenTheyAreDue() {
        WhyWaiting.Facts later = facts(job(JobState.SCHEDULED, NOW.plusSeconds(300)), queue(false, TWO_NODES),
                Map.of(), 0, List.of(), null, 0, 0, false, 0, null);
        assertThat(codes(later)).containsExactly("scheduled");
        assertThat(text(later, "scheduled")).isEqualTo("Due at 2026-12-03T10:05:00Z (in 5 min).");
        WhyWaiting.Facts retry = facts(job(JobState.RETRYABLE, NOW.minusSeconds(2)), queue(false, TWO_NODES),
                Map.of(), 0, List.of(), null, 0, 0, false, 0, null);
        assertThat(text(retry, "retry-due")).startsWith("Attempt 2 failed; the next attempt is due since")
                .endsWith("the leader's stager makes it available at its next stage.");
    }

    @Test
    void aPendingJobNamesWhatItWaitsForAndWhatHoldsIt() {
        List<WaitReads.Parent> parents = List.of(new WaitReads.Parent(1, JobState.COMPLETED, false, false),
                new WaitReads.Parent(2, JobState.EXECUTING, false, false),
                new WaitReads.Parent(3, JobState.DISCARDED, false, true),
                new WaitReads.Parent(4, JobState.CANCELLED, true, false));
        List<WhyWaiting.Reason> reasons = WhyWaiting.decide(facts(job(JobState.PENDING, NOW), queue(false, TWO_NODES),
                Map.of(), 0, parents, null, 0, 0, false, 0, null));
        assertThat(reasons).extracting(WhyWaiting.Reason::code).containsExactly("held", "dependencies");
        assertThat(reasons.get(0).items()).containsExactly(new WhyWaiting.Item(3, "discarded"));
        assertThat(reasons.get(1).text()).isEqualTo("Waits for 1 of its 4 dependencies to complete.");
        assertThat(reasons.get(1).items()).containsExactly(new WhyWaiting.Item(2, "executing"));

        assertThat(codes(facts(job(JobState.PENDING, NOW), queue(false, TWO_NODES), Map.of(), 0,
                List.of(new WaitReads.Parent(1, JobState.COMPLETED, false, false)), null, 0, 0, false, 0, null)))
                .containsExactly("deciding");
        assertThat(WhyWaiting.decide(facts(job(JobState.PENDING, NOW), queue(false, TWO_NODES), Map.of(), 0,
                List.of(new WaitReads.Parent(9, null, false, false)), null, 0, 0, false, 0, null)).get(0).items())
                .containsExactly(new WhyWaiting.Item(9, "no longer exists: this job is about to be cancelled"));
    }

    @Test
    void theHolderOfItsUniqueKeyIsNamedAndAJobThatIsNotWaitingHasNoReason() {
        WhyWaiting.Facts f = facts(job(JobState.AVAILABLE, NOW), queue(false, TWO_NODES), Map.of(), 0, List.of(), null,
                0, 0, false, 0, new WaitReads.Holder(3, JobState.EXECUTING));
        assertThat(codes(f)).containsExactly("claimable", "unique");
        assertThat(WhyWaiting.decide(facts(job(JobState.EXECUTING, NOW), queue(false, TWO_NODES), Map.of(), 0,
                List.of(), null, 0, 0, false, 0, null))).isEmpty();
    }

    @Test
    void anOpenCircuitBreakerHoldsTheJobUntilItsTrialsAndAHalfOpenOneSaysHowTheTrialsGo() {
        KindLimit limit = new KindLimit("resize", 0, 0, 0);
        CircuitBreakerView open = new CircuitBreakerView("resize", CircuitBreakerView.State.OPEN, 0, 0, 20, 0.5, 0, 2,
                NOW.minusSeconds(10), NOW.plusSeconds(20), "n1", NOW.minusSeconds(10));
        WhyWaiting.Facts f = new WhyWaiting.Facts(job(JobState.AVAILABLE, NOW), NOW, queue(false, TWO_NODES),
                Map.of(), 0, List.of(), limit, 0, 0, false, 0, null, open);
        assertThat(codes(f)).containsExactly("circuit-breaker");
        assertThat(text(f, "circuit-breaker")).isEqualTo("The circuit breaker of kind 'resize' is open: its jobs are"
                + " not claimed until " + NOW.plusSeconds(20) + " (in 20 s), then 2 trial(s) run."
                + " It can be reset on the queues page.");

        CircuitBreakerView halfOpen = new CircuitBreakerView("resize", CircuitBreakerView.State.HALF_OPEN, 0, 0, 20,
                0.5, 1, 2, NOW.minusSeconds(40), NOW.minusSeconds(10), "n1", NOW.minusSeconds(40));
        WhyWaiting.Facts trying = new WhyWaiting.Facts(job(JobState.AVAILABLE, NOW), NOW, queue(false, TWO_NODES),
                Map.of(), 0, List.of(), limit, 0, 0, false, 0, null, halfOpen);
        assertThat(codes(trying)).containsExactly("circuit-breaker", "claimable");
        assertThat(text(trying, "circuit-breaker")).isEqualTo("The circuit breaker of kind 'resize' is half-open: at"
                + " most 2 trial(s) run at once, and 1 of the 2 needed to close it succeeded.");
    }
}
