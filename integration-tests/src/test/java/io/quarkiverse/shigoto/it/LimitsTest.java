package io.quarkiverse.shigoto.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.JobWorker;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.ConcurrencyLimitedWorker;
import io.quarkiverse.shigoto.it.workers.LimitProbe;
import io.quarkiverse.shigoto.it.workers.RateLimitedWorker;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Rate limits and concurrency limits hold across nodes: this application's engine and a second one, both running the
 * {@code limited} queue. Limited jobs wait available instead of being claimed and snoozed, so each runs once, in its
 * first attempt.
 */
@QuarkusTest
class LimitsTest {

    @Inject
    Shigoto shigoto;

    @Inject
    NodeHarness runtime;

    @Inject
    LimitProbe probe;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void noSlidingWindowHoldsMoreStartsThanTheRateLimitAcrossTwoNodes() throws Exception {
        Engine second = runtime.newEngine(runtime.settings("rate-node-2").withQueues(Map.of("limited", 10)));
        second.start();
        try {
            List<Long> ids = insert(RateLimitedWorker.class, 20, 0);
            long first = ids.get(0), last = ids.get(ids.size() - 1);
            awaitCompleted(first, last, ids.size());

            List<Long> startMicros = JobRows.longs(dataSource, "SELECT (extract(epoch FROM attempted_at) * 1000000)"
                    + "::bigint FROM shigoto_jobs WHERE id BETWEEN ? AND ? ORDER BY attempted_at", first, last);
            int busiest = 0;
            for (int i = 0; i < startMicros.size(); i++) {
                long from = startMicros.get(i);
                busiest = Math.max(busiest,
                        (int) startMicros.stream().filter(t -> t >= from && t < from + 1_000_000).count());
            }
            System.out.printf("RATE 20 jobs at 5/s on 2 nodes: busiest 1 s window held %d starts; first to last start"
                    + " %.2f s; starts per node %s%n", busiest,
                    (startMicros.get(startMicros.size() - 1) - startMicros.get(0)) / 1e6, startsPerNode(first, last));
            assertThat(busiest).isEqualTo(5);
            assertRanOnceWithoutErrors(first, last);
        } finally {
            second.stop();
        }
    }

    @Test
    void noMoreJobsRunAtOnceThanTheConcurrencyLimitAcrossTwoNodes() throws Exception {
        Engine second = runtime.newEngine(runtime.settings("concurrency-node-2").withQueues(Map.of("limited", 10)));
        second.start();
        try {
            long started = System.nanoTime();
            List<Long> ids = insert(ConcurrencyLimitedWorker.class, 16, 100);
            long first = ids.get(0), last = ids.get(ids.size() - 1);
            awaitCompleted(first, last, ids.size());
            System.out.printf("CONCURRENCY 16 jobs of 100 ms, limit 2, 2 nodes of 10 slots: at most %d at once, all"
                    + " done in %.2f s; starts per node %s%n", probe.maxRunning("concurrency-limited"),
                    (System.nanoTime() - started) / 1e9, startsPerNode(first, last));
            assertThat(probe.maxRunning("concurrency-limited")).isBetween(1, 2);
            assertRanOnceWithoutErrors(first, last);
        } finally {
            second.stop();
        }
    }

    @Test
    void everyInsertPathGivesLimitedKindsAndOnlyThemTheirLimitKey() throws Exception {
        try {
            long single = shigoto.insert(JobRequest.of(RateLimitedWorker.class).queue("parked-limits")).id();
            long plain = shigoto.insert(JobRequest.of("echo").queue("parked-limits")).id();
            List<JobView> few = shigoto.insertAll(List.of(JobRequest.of(RateLimitedWorker.class).queue("parked-limits"),
                    JobRequest.of("echo").queue("parked-limits")));
            List<JobRequest> many = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                many.add(JobRequest.of(i % 2 == 0 ? "concurrency-limited" : "echo").queue("parked-limits"));
            }
            List<JobView> copied = shigoto.insertAll(many);
            List<Long> reactive = given().post("/orders/reactive-limited").then().statusCode(200).extract().jsonPath()
                    .getList(".", Long.class);

            assertThat(limitKeyIs(single, "rate-limited")).isTrue();
            assertThat(limitKeyIs(plain, null)).isTrue();
            assertThat(limitKeyIs(few.get(0).id(), "rate-limited")).isTrue();
            assertThat(limitKeyIs(few.get(1).id(), null)).isTrue();
            assertThat(JobRows.single(dataSource, "SELECT count(*) FROM shigoto_jobs WHERE id BETWEEN ? AND ?"
                    + " AND queue = 'parked-limits'"
                    + " AND limit_key IS NOT DISTINCT FROM CASE WHEN kind = 'echo' THEN NULL ELSE kind END",
                    copied.get(0).id(), copied.get(999).id())).isEqualTo(1_000);
            assertThat(limitKeyIs(reactive.get(0), null)).isTrue();
            assertThat(limitKeyIs(reactive.get(1), "rate-limited")).isTrue();
        } finally {
            JobRows.execute(dataSource, "DELETE FROM shigoto_jobs WHERE queue = 'parked-limits'");
        }
    }

    @Test
    void startupGivesWaitingJobsTheLimitKeyOfTheirKindsCurrentLimits() throws Exception {
        // as left by a version of the application in which rate-limited had no limit and "retired" had one
        long unlimited = JobRows.in(dataSource).kind("rate-limited").queue("parked-limits").insert();
        long retired = JobRows.in(dataSource).kind("retired").queue("parked-limits").limitKey("retired").insert();
        long plain = JobRows.in(dataSource).kind("echo").queue("parked-limits").insert();
        try {
            assertThat(runtime.store().claims().reconcileLimits(runtime.catalog().limits())).isGreaterThanOrEqualTo(2);
            assertThat(limitKeyIs(unlimited, "rate-limited")).isTrue();
            assertThat(limitKeyIs(retired, null)).isTrue();
            assertThat(limitKeyIs(plain, null)).isTrue();
            assertThat(runtime.store().claims().reconcileLimits(runtime.catalog().limits())).isZero();
        } finally {
            JobRows.execute(dataSource, "DELETE FROM shigoto_jobs WHERE queue = 'parked-limits'");
        }
    }

    private List<Long> insert(Class<? extends JobWorker> worker, int n, int millis) {
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            requests.add(JobRequest.of(worker).arg("millis", millis));
        }
        return shigoto.insertAll(requests).stream().map(JobView::id).toList();
    }

    private void awaitCompleted(long first, long last, int n) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> JobRows.single(dataSource, "SELECT count(*) FROM shigoto_jobs"
                        + " WHERE id BETWEEN ? AND ? AND state = 'completed'", first, last) == n);
    }

    /** Never claimed and snoozed: one attempt each, no error recorded. */
    private void assertRanOnceWithoutErrors(long first, long last) throws Exception {
        assertThat(JobRows.single(dataSource, "SELECT count(*) FROM shigoto_jobs WHERE id BETWEEN ? AND ?"
                + " AND (attempt <> 1 OR errors <> '[]'::jsonb)", first, last)).isZero();
    }

    private List<Long> startsPerNode(long first, long last) throws Exception {
        return JobRows.longs(dataSource, "SELECT count(*) FROM shigoto_jobs WHERE id BETWEEN ? AND ?"
                + " GROUP BY attempted_by ORDER BY attempted_by", first, last);
    }

    private boolean limitKeyIs(long id, String key) throws Exception {
        return JobRows.single(dataSource, "SELECT count(*) FROM shigoto_jobs WHERE id = ?"
                + " AND limit_key IS NOT DISTINCT FROM ?::text", id, key) == 1;
    }
}
