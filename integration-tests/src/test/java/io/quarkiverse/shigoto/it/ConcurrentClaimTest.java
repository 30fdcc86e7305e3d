package io.quarkiverse.shigoto.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.CountingWorker;
import io.quarkiverse.shigoto.it.workers.JobProbe;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Two nodes claiming the same queue never run a job twice: SKIP LOCKED hands every row to exactly one of them.
 */
@QuarkusTest
class ConcurrentClaimTest {

    @Inject
    Shigoto shigoto;

    @Inject
    NodeHarness runtime;

    @Inject
    JobProbe probe;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void tenThousandJobsOnTwoNodesRunExactlyOnceEach() throws Exception {
        Engine second = runtime.newEngine("second-node");
        second.start();
        try {
            List<JobRequest> requests = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                requests.add(JobRequest.of(CountingWorker.class).arg("i", i));
            }
            List<Long> ids = shigoto.insertAll(requests).stream().map(JobView::id).toList();
            long first = ids.get(0), last = ids.get(ids.size() - 1);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> JobRows.single(dataSource,
                            "SELECT count(*) FROM shigoto_jobs WHERE id BETWEEN ? AND ? AND state = 'completed'",
                            first, last) == ids.size());
            Map<Integer, Long> runsPerJob = ids.stream()
                    .collect(Collectors.groupingBy(probe::runs, Collectors.counting()));
            assertThat(runsPerJob).containsExactly(Map.entry(1, (long) ids.size()));
            List<Long> attemptedBySecond = JobRows.longs(dataSource,
                    "SELECT count(*) FROM shigoto_jobs WHERE id BETWEEN ? AND ? GROUP BY attempted_by", first, last);
            // both nodes took a share of the work
            assertThat(attemptedBySecond).hasSize(2).allSatisfy(n -> assertThat(n).isPositive());
        } finally {
            second.stop();
        }
    }
}
