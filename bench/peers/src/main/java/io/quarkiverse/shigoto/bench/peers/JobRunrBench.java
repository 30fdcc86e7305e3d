package io.quarkiverse.shigoto.bench.peers;

import java.sql.Connection;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;

import org.jobrunr.configuration.JobRunr;
import org.jobrunr.scheduling.BackgroundJob;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

import com.zaxxer.hikari.HikariDataSource;

import io.quarkiverse.shigoto.bench.common.BenchArgs;
import io.quarkiverse.shigoto.bench.common.BenchResult;
import io.quarkiverse.shigoto.bench.common.ProcessMeter;

/**
 * JobRunr 8.7.0 (open-source edition) on PostgreSQL, system name {@code jobrunr}.
 * <p>
 * Settings, the most favourable to throughput that JobRunr OSS documents or allows:
 * <ul>
 * <li>{@code PostgresStorageProvider} over a Hikari pool of {@code --workers + 4} connections ({@code --pool}), so a
 * worker never waits for a connection. JobRunr creates its own tables ({@code jobrunr_jobs}, with the job as JSON in
 * {@code jobAsJson} and the state name in {@code state}) on start.</li>
 * <li>{@code BackgroundJobServerConfiguration.andWorkerCount(--workers)}: on Java 17 that is a platform thread pool of
 * that size.</li>
 * <li>{@code andPollInterval(5 s)}: the smallest poll interval the SQL storage providers accept
 * ({@code StorageProvider.validatePollInterval} rejects less; the default is 15 s). The poll interval only matters when
 * the server is idle: a worker that finishes a job asks for more work at once ({@code JobSteward.notifyThreadIdle}
 * onboards up to the number of free workers with one {@code SELECT ... FOR UPDATE SKIP LOCKED} and one batched update
 * to PROCESSING), so a backlog is drained without waiting for polls. Each job's completion is then its own
 * optimistic-locking {@code UPDATE} to SUCCEEDED. The steward's first run comes 1 s after the server starts (fixed in
 * JobRunr: min(poll interval / 5, 1 s)), and the burn-down includes it.</li>
 * <li>Bulk insert through {@code BackgroundJob.enqueue(Stream, lambda)}, which JobRunr saves in batches of 5000 jobs;
 * single inserts through {@code BackgroundJob.enqueue(lambda)}. No dashboard, no JMX, no metrics.</li>
 * <li>JSON through Jackson 2 ({@code JacksonJsonMapper}).</li>
 * </ul>
 * Latency is bounded below by polling: a job enqueued on an idle server waits for the next poll (up to 5 s; JobRunr Pro
 * has instant processing, OSS does not), so the latency scenario takes at most 20 samples (and says so in its note),
 * and the pause before each probe gets a random 0-5 s ({@code --latency-jitter-ms}) so that probes arrive at random
 * phases of the poll cycle instead of all just after a poll.
 */
public final class JobRunrBench {

    static final String SYSTEM = "jobrunr";

    /** Latency probes run one after the other and each waits for a poll of up to 5 s: cap them. */
    static final int MAX_LATENCY_SAMPLES = 20;

    private JobRunrBench() {
    }

    /** The no-op job. JobRunr stores the lambda as a call of this static method. */
    public static void noop() {
        // nothing: the benchmark measures the queue, not the work
    }

    /** The latency probe: records when it started. */
    public static void probe(int seq) {
        PeerSupport.markStarted(seq);
    }

    public static void main(String[] argv) {
        PeerSupport.main(argv, SYSTEM, Set.of("burn-down", "bulk-insert", "single-insert", "latency", "continuous"),
                JobRunrBench::run);
    }

    private static void run(BenchArgs args) throws Exception {
        String scenario = args.scenario();
        HikariDataSource ds = PeerSupport.pool(args, "jobrunr");
        BackgroundJobServerConfiguration server = BackgroundJobServerConfiguration
                .usingStandardBackgroundJobServerConfiguration()
                .andWorkerCount(args.workers())
                .andPollInterval(Duration.ofSeconds(5));
        // the server is configured but not started: scenarios start it when their workers should run
        JobRunr.configure()
                .useJsonMapper(new JacksonJsonMapper())
                .useStorageProvider(new PostgresStorageProvider(ds))
                .useBackgroundJobServer(server, false)
                .initialize();
        try (Connection harness = PeerSupport.connect(args)) {
            switch (scenario) {
                case "burn-down" -> burnDown(args, harness);
                case "bulk-insert" -> bulkInsert(args);
                case "single-insert" -> singleInsert(args);
                case "latency" -> latency(args);
                case "continuous" -> continuous(args, harness);
                default -> throw new IllegalStateException(scenario);
            }
        }
    }

    private static void enqueueBulk(int n) {
        BackgroundJob.<Integer> enqueue(IntStream.range(0, n).boxed(), i -> JobRunrBench.noop());
    }

    private static void burnDown(BenchArgs args, Connection harness) throws Exception {
        int n = args.n();
        enqueueBulk(n);
        long enqueued = PeerSupport.queryLong(harness, "SELECT count(*) FROM jobrunr_jobs WHERE state = 'ENQUEUED'");
        if (enqueued != n) {
            throw new IllegalStateException("expected " + n + " enqueued jobs, found " + enqueued);
        }
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        JobRunr.getBackgroundJobServer().start();
        // every job was inserted before the workers started; the states not yet final are few and found through
        // JobRunr's index on state (a failed no-op would be retried, so it would stay SCHEDULED and be waited for)
        long end = PeerSupport.awaitDb(() -> PeerSupport.queryLong(harness,
                "SELECT count(*) FROM (SELECT 1 FROM jobrunr_jobs"
                        + " WHERE state IN ('AWAITING', 'SCHEDULED', 'ENQUEUED', 'PROCESSING') LIMIT 1) x") == 0,
                PeerSupport.timeoutSeconds(args), "every JobRunr job to succeed");
        BenchResult result = BenchResult.rate("burn-down", SYSTEM, n, (end - start) / 1e9).withProcess(meter);
        long succeeded = PeerSupport.queryLong(harness, "SELECT count(*) FROM jobrunr_jobs WHERE state = 'SUCCEEDED'");
        if (succeeded != n) {
            throw new IllegalStateException("expected " + n + " succeeded jobs, found " + succeeded);
        }
        result.print();
    }

    private static void bulkInsert(BenchArgs args) {
        int n = args.n();
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        enqueueBulk(n);
        long end = System.nanoTime();
        BenchResult.rate("bulk-insert", SYSTEM, n, (end - start) / 1e9).withProcess(meter)
                .withNote("BackgroundJob.enqueue(Stream)").print();
    }

    private static void singleInsert(BenchArgs args) {
        int n = args.n();
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            BackgroundJob.enqueue(() -> JobRunrBench.noop());
        }
        long end = System.nanoTime();
        BenchResult.rate("single-insert", SYSTEM, n, (end - start) / 1e9).withProcess(meter).print();
    }

    private static void latency(BenchArgs args) throws Exception {
        int samples = Math.min(Math.min(args.n(), 300), MAX_LATENCY_SAMPLES);
        JobRunr.getBackgroundJobServer().start();
        ProcessMeter meter = ProcessMeter.start();
        long gap = PeerSupport.latencyGapMillis(args);
        // arrivals at a random phase of the 5 s poll cycle
        long jitter = Long.parseLong(args.get("latency-jitter-ms", "5000"));
        double[] ms = PeerSupport.measureLatency(samples, gap, jitter,
                seq -> BackgroundJob.enqueue(() -> JobRunrBench.probe(seq)));
        PeerSupport.latencyResult(SYSTEM, ms).withProcess(meter).withNote("samples capped at " + MAX_LATENCY_SAMPLES
                + " (OSS polls every 5 s),gap=" + gap + "ms+random(0-" + jitter + "ms)").print();
    }

    private static void continuous(BenchArgs args, Connection harness) throws Exception {
        JobRunr.getBackgroundJobServer().start();
        ProcessMeter meter = ProcessMeter.start();
        PeerSupport.Producer producer = new PeerSupport.Producer(seq -> BackgroundJob.enqueue(() -> JobRunrBench.noop()));
        double[] m = PeerSupport.measureContinuous(args, producer,
                () -> PeerSupport.queryLong(harness, "SELECT count(*) FROM jobrunr_jobs WHERE state = 'SUCCEEDED'"));
        BenchResult.rate("continuous", SYSTEM, (long) m[0], m[1]).withProcess(meter)
                .withNote(String.format(Locale.ROOT, "insert_rate=%.0f/s", m[2])).print();
    }
}
