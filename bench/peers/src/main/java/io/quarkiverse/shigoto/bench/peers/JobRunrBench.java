package io.quarkiverse.shigoto.bench.peers;

import java.sql.Connection;
import java.time.Duration;
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
import io.quarkiverse.shigoto.bench.common.ContinuousLoad;
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
 * {@code continuous-jta}: JobRunr OSS cannot enqueue inside the caller's transaction (its storage provider takes its
 * own connections from the pool and commits them), so each insert writes the user row on a connection of its own
 * (autocommit) and then enqueues: back to back, <b>not atomic</b>, as the note says.
 * <p>
 * Latency is bounded below by polling: a job enqueued on an idle server waits for the next poll (up to 5 s; JobRunr Pro
 * has instant processing, OSS does not), so the latency scenario takes at most 20 samples (and says so in its note),
 * and the pause before each probe gets a random 0-5 s ({@code --latency-jitter-ms}) so that probes arrive at random
 * phases of the poll cycle instead of all just after a poll.
 */
public final class JobRunrBench implements PeerSupport.PeerSystem {

    static final String SYSTEM = "jobrunr";

    /** Latency probes run one after the other and each waits for a poll of up to 5 s: cap them. */
    static final int MAX_LATENCY_SAMPLES = 20;

    private final HikariDataSource ds;
    private final Connection harness;

    private JobRunrBench(BenchArgs args) throws Exception {
        this.ds = PeerSupport.pool(args, "jobrunr");
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
        this.harness = PeerSupport.connect(args);
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
        PeerSupport.main(argv, SYSTEM, Set.of("burn-down", "bulk-insert", "single-insert", "latency", "continuous",
                "continuous-4", "continuous-jta"), JobRunrBench::new);
    }

    @Override
    public BenchResult run(BenchArgs args) throws Exception {
        try {
            return switch (args.scenario()) {
                case "burn-down" -> burnDown(args);
                case "bulk-insert" -> bulkInsert(args);
                case "single-insert" -> singleInsert(args);
                case "latency" -> latency(args);
                case "continuous", "continuous-4", "continuous-jta" -> continuous(args);
                default -> throw new IllegalStateException(args.scenario());
            };
        } finally {
            if (JobRunr.getBackgroundJobServer().isRunning()) {
                JobRunr.getBackgroundJobServer().stop();
            }
        }
    }

    @Override
    public void reset() throws Exception {
        PeerSupport.execute(ds, "TRUNCATE jobrunr_jobs; DROP TABLE IF EXISTS bench_users");
    }

    private static void enqueueBulk(int n) {
        BackgroundJob.<Integer> enqueue(IntStream.range(0, n).boxed(), i -> JobRunrBench.noop());
    }

    private BenchResult burnDown(BenchArgs args) throws Exception {
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
        return result;
    }

    private BenchResult bulkInsert(BenchArgs args) {
        int n = args.n();
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        enqueueBulk(n);
        long end = System.nanoTime();
        return BenchResult.rate("bulk-insert", SYSTEM, n, (end - start) / 1e9).withProcess(meter)
                .withNote("BackgroundJob.enqueue(Stream)");
    }

    private BenchResult singleInsert(BenchArgs args) {
        int n = args.n();
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            BackgroundJob.enqueue(() -> JobRunrBench.noop());
        }
        long end = System.nanoTime();
        return BenchResult.rate("single-insert", SYSTEM, n, (end - start) / 1e9).withProcess(meter);
    }

    private BenchResult latency(BenchArgs args) throws Exception {
        int samples = Math.min(Math.min(args.n(), 300), MAX_LATENCY_SAMPLES);
        JobRunr.getBackgroundJobServer().start();
        ProcessMeter meter = ProcessMeter.start();
        long gap = PeerSupport.latencyGapMillis(args);
        // arrivals at a random phase of the 5 s poll cycle
        long jitter = Long.parseLong(args.get("latency-jitter-ms", "5000"));
        double[] ms = PeerSupport.measureLatency(samples, gap, jitter,
                seq -> BackgroundJob.enqueue(() -> JobRunrBench.probe(seq)));
        return PeerSupport.latencyResult(SYSTEM, ms).withProcess(meter).withNote("samples capped at "
                + MAX_LATENCY_SAMPLES + " (OSS polls every 5 s),gap=" + gap + "ms+random(0-" + jitter + "ms)");
    }

    private BenchResult continuous(BenchArgs args) throws Exception {
        boolean jta = args.scenario().equals("continuous-jta");
        if (jta) {
            PeerSupport.execute(ds, ContinuousLoad.USER_TABLE);
        }
        JobRunr.getBackgroundJobServer().start();
        ContinuousLoad load = new ContinuousLoad(args.producers(), jta ? seq -> {
            try (Connection c = ds.getConnection()) {
                PeerSupport.insertUser(c, seq);
            }
            BackgroundJob.enqueue(() -> JobRunrBench.noop());
        } : seq -> BackgroundJob.enqueue(() -> JobRunrBench.noop()));
        ProcessMeter meter = ProcessMeter.start();
        ContinuousLoad.Window w = load.run(args.seconds(),
                () -> PeerSupport.queryLong(harness, "SELECT count(*) FROM jobrunr_jobs WHERE state = 'SUCCEEDED'"));
        return BenchResult.rate(args.scenario(), SYSTEM, w.finished(), w.seconds()).withProcess(meter)
                .withNote(w.note(args.producers()) + (jta ? ",user_row_then_enqueue_not_atomic" : ""));
    }
}
