package io.quarkiverse.shigoto.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.NoopWorker;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Not a test: prints the end-to-end burn-down rate and idle insert-to-start latency of this machine. Runs only with
 * {@code -Dshigoto.measure=true} (see README, "Measuring"); the benchmark harness in {@code bench/} is the real tool.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "shigoto.measure", matches = "true")
class EngineMeasurement {

    @Inject
    Shigoto shigoto;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void burnDownAndLatency() throws Exception {
        int n = Integer.getInteger("shigoto.measure.jobs", 100_000);
        List<JobRequest> requests = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            requests.add(JobRequest.of(NoopWorker.class).arg("i", i));
        }
        long start = System.nanoTime();
        List<JobView> jobs = shigoto.insertAll(requests);
        long inserted = System.nanoTime();
        long first = jobs.get(0).id(), last = jobs.get(n - 1).id();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> JobRows.single(dataSource,
                        "SELECT count(*) FROM shigoto_jobs WHERE id BETWEEN ? AND ? AND state <> 'completed'", first,
                        last) == 0);
        long done = System.nanoTime();
        System.out.printf("MEASURE insertAll: %d jobs in %.2f s = %.0f jobs/s%n", n, (inserted - start) / 1e9,
                n / ((inserted - start) / 1e9));
        System.out.printf("MEASURE burn-down (insertAll + run): %d jobs in %.2f s = %.0f jobs/s end to end%n", n,
                (done - start) / 1e9, n / ((done - start) / 1e9));
        System.out.printf("MEASURE run only: %.0f jobs/s%n", n / ((done - inserted) / 1e9));

        int samples = Integer.getInteger("shigoto.measure.latency-samples", 300);
        double[] latencies = new double[samples];
        for (int i = 0; i < samples; i++) {
            JobView job = shigoto.insert(JobRequest.of(NoopWorker.class));
            JobView ran = Jobs.awaitState(shigoto, job.id(), JobState.COMPLETED);
            latencies[i] = Duration.between(ran.insertedAt(), ran.attemptedAt()).toNanos() / 1e6;
        }
        Arrays.sort(latencies);
        System.out.printf("MEASURE idle insert-to-start latency over %d jobs: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms,"
                + " max %.2f ms%n", samples, latencies[samples / 2], latencies[(int) (samples * 0.95)],
                latencies[(int) (samples * 0.99)], latencies[samples - 1]);
    }
}
