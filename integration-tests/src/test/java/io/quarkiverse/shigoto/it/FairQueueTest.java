package io.quarkiverse.shigoto.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.FairWorker;
import io.quarkiverse.shigoto.it.workers.LimitProbe;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkiverse.shigoto.runtime.queue.QueueProducer;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A fair queue serves partition keys round-robin: one tenant's backlog does not hold another tenant's jobs back.
 */
@QuarkusTest
class FairQueueTest {

    private static final int BACKLOG = 10_000;
    private static final int CONCURRENCY = 4;

    @Inject
    Shigoto shigoto;

    @Inject
    NodeHarness runtime;

    @Inject
    LimitProbe probe;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aTenantsJobsStartWithinAFewClaimsDespiteAnotherTenantsBacklog() throws Exception {
        Engine engine = runtime.newEngine(runtime.settings("fair-node").withQueues(Map.of("fair", CONCURRENCY)));
        QueueProducer producer = engine.producers().get("fair");
        assertThat(producer.fair()).isTrue();
        engine.start();
        try {
            List<JobRequest> a = new ArrayList<>(BACKLOG);
            for (int i = 0; i < BACKLOG; i++) {
                a.add(JobRequest.of(FairWorker.class).partitionKey("tenant-a").arg("tenant", "tenant-a")
                        .arg("millis", 20));
            }
            shigoto.insertAll(a);
            await().atMost(Jobs.PATIENCE).pollInterval(Duration.ofMillis(5))
                    .until(() -> probe.starts().stream().anyMatch(s -> "tenant-a".equals(s.partitionKey())));

            int startsBefore = probe.starts().size();
            long claimsBefore = producer.claims();
            long insertedNanos = System.nanoTime();
            List<JobRequest> b = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                b.add(JobRequest.of(FairWorker.class).partitionKey("tenant-b").arg("tenant", "tenant-b")
                        .arg("millis", 20));
            }
            Set<Long> bIds = new HashSet<>(shigoto.insertAll(b).stream().map(JobView::id).toList());
            await().atMost(Jobs.PATIENCE).pollInterval(Duration.ofMillis(5))
                    .until(() -> probe.starts().stream().filter(s -> bIds.contains(s.id())).count() == bIds.size());
            long claims = producer.claims() - claimsBefore;

            List<LimitProbe.Start> since = probe.starts().subList(startsBefore, probe.starts().size());
            int lastB = 0, aBeforeLastB = 0;
            for (int i = 0; i < since.size(); i++) {
                if (bIds.contains(since.get(i).id())) {
                    lastB = i;
                }
            }
            for (int i = 0; i < lastB; i++) {
                aBeforeLastB += bIds.contains(since.get(i).id()) ? 0 : 1;
            }
            long waitingA = JobRows.single(dataSource,
                    "SELECT count(*) FROM shigoto_jobs WHERE queue = 'fair' AND state = 'available'");
            double ms = (since.get(lastB).nanos() - insertedNanos) / 1e6;
            System.out.printf("FAIR tenant B's 10 jobs all started %.1f ms after their insert, within %d claims;"
                    + " %d of tenant A's jobs started meanwhile and %d still waited%n", ms, claims, aBeforeLastB,
                    waitingA);
            // round-robin: B gets every other free slot at least, the slots busy at B's insert aside
            assertThat(aBeforeLastB).isLessThanOrEqualTo(bIds.size() + CONCURRENCY);
            assertThat(waitingA).isGreaterThan(BACKLOG / 2);
        } finally {
            engine.stop();
            JobRows.execute(dataSource, "DELETE FROM shigoto_jobs WHERE queue = 'fair' AND state = 'available'");
        }
    }

    @Test
    void theFairClaimServesPartitionsRoundRobinFromTheOneAfterTheLastServed() throws Exception {
        JobStore store = runtime.store();
        List<JobRequest> requests = new ArrayList<>();
        for (String key : new String[] { "a", "a", "a", "a", "b", "b", "c", null, null }) {
            requests.add(JobRequest.of("echo").queue("parked-fair").partitionKey(key));
        }
        List<Long> ids = shigoto.insertAll(requests).stream().map(JobView::id).toList();
        Instant now = Instant.now();

        // one share per partition, every partition's first job before any second one
        assertThat(store.claims().claimFair("parked-fair", 4, "test-node", now, null)).extracting(ClaimedJob::id)
                .containsExactly(ids.get(0), ids.get(4), ids.get(6), ids.get(1));
        // after "c": wraps around to "a" and "b"
        assertThat(store.claims().claimFair("parked-fair", 1, "test-node", now, "c")).extracting(ClaimedJob::id)
                .containsExactly(ids.get(2));
        assertThat(store.claims().claimFair("parked-fair", 1, "test-node", now, "a")).extracting(ClaimedJob::id)
                .containsExactly(ids.get(5));
        // what the partitions cannot fill goes to the one with jobs left, then to jobs without a key
        assertThat(store.claims().claimFair("parked-fair", 10, "test-node", now, "b")).extracting(ClaimedJob::id)
                .containsExactly(ids.get(3), ids.get(7), ids.get(8));
    }
}
