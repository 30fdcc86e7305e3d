package io.quarkiverse.shigoto.bench.peers;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;

import io.quarkiverse.shigoto.bench.common.BenchArgs;
import io.quarkiverse.shigoto.bench.common.BenchResult;
import io.quarkiverse.shigoto.bench.common.ContinuousLoad;
import io.quarkiverse.shigoto.bench.common.ProcessMeter;

/**
 * db-scheduler 16.12.0 on PostgreSQL, system name {@code db-scheduler}.
 * <p>
 * Settings, the most favourable to throughput that db-scheduler's README documents:
 * <ul>
 * <li>{@code threads(--workers)}: the execution thread pool.</li>
 * <li>{@code pollUsingLockAndFetch(1.0, 4.0)}: the README's "Polling strategy" section recommends lock-and-fetch
 * (one {@code UPDATE ... WHERE (...) IN (SELECT ... FOR UPDATE SKIP LOCKED LIMIT k) RETURNING}) above 1000
 * executions/s and gives {@code 1.0, 4.0} as the setting "for high throughput (i.e. keep threads busy)": it picks up to
 * 4 x threads executions at a time and fetches again as soon as no more than 1 x threads are left queued or running,
 * without waiting for the polling interval while the last fetch came back full. Each finished one-time task is then
 * one {@code DELETE}.</li>
 * <li>{@code enableImmediateExecution()} in the latency scenario only: a task scheduled for now wakes the local
 * scheduler at once instead of at the next poll. It is off in the continuous scenario because there every insert's
 * wake-up costs one more fetch: measured here, the continuous rate was 2-3 times higher without it (the burn-down
 * schedules nothing while the scheduler runs, so it does not matter there).</li>
 * <li>{@code pollingInterval(1 s)} (default 10 s): bounds the wait after a fetch that came back short (the only
 * pickup delay in the continuous scenario); while fetches come back full, lock-and-fetch fetches again without
 * waiting for it.</li>
 * <li>A Hikari pool of {@code --workers + 4} connections ({@code --pool}): every finishing thread deletes its
 * execution on its own connection.</li>
 * <li>Bulk insert through {@code SchedulerClient.scheduleBatch(List<TaskInstance>, Instant)}, which exists in 16.12.0
 * and inserts the list as one JDBC batch; the README's {@code Stream} variant cuts the stream into batches of 100, the
 * {@code List} variant lets us use larger ones: {@code --insert-batch}, default 1000. Single inserts through
 * {@code schedule(instance, now)}.</li>
 * <li>{@code continuous-jta}: db-scheduler has no API taking a connection, but it works on whatever connection its
 * {@code DataSource} hands out and commits only when that connection is in autocommit (its
 * {@code commitWhenAutocommitDisabled} is off by default): the way Spring's {@code TransactionAwareDataSourceProxy}
 * makes it join a transaction. The client here gets such a data source ({@link ThreadConnection}): each insert is one
 * transaction holding the user row and the scheduled execution, committed together (atomic).</li>
 * </ul>
 * The {@code scheduled_tasks} table is created here with the columns and indexes of db-scheduler's PostgreSQL schema
 * ({@code postgresql_tables.sql} of 16.12.0, whose trailing migrations are not used by it); one-time tasks are deleted on
 * completion, so an empty table means a
 * finished burn-down.
 */
public final class DbSchedulerBench implements PeerSupport.PeerSystem {

    static final String SYSTEM = "db-scheduler";

    /** db-scheduler's table for PostgreSQL, as version 16.12.0 documents it. */
    static final String DDL = """
            CREATE TABLE scheduled_tasks (
                task_name            text NOT NULL,
                task_instance        text NOT NULL,
                task_data            bytea,
                execution_time       timestamp with time zone NOT NULL,
                picked               boolean NOT NULL,
                picked_by            text,
                last_success         timestamp with time zone,
                last_failure         timestamp with time zone,
                consecutive_failures integer,
                last_heartbeat       timestamp with time zone,
                version              bigint NOT NULL,
                priority             smallint,
                PRIMARY KEY (task_name, task_instance)
            );
            CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
            CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
            CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
            """;

    /** The no-op job. */
    static final OneTimeTask<Void> NOOP = Tasks.oneTime("noop").execute((instance, context) -> {
        // nothing: the benchmark measures the queue, not the work
    });

    /** The latency probe: its instance id is the probe's sequence number. */
    static final OneTimeTask<Void> PROBE = Tasks.oneTime("probe")
            .execute((instance, context) -> PeerSupport.markStarted(Integer.parseInt(instance.getId())));

    private final HikariDataSource ds;
    private final Connection harness;

    private DbSchedulerBench(BenchArgs args) throws Exception {
        this.ds = PeerSupport.pool(args, "db-scheduler");
        PeerSupport.execute(ds, DDL);
        this.harness = PeerSupport.connect(args);
    }

    public static void main(String[] argv) {
        PeerSupport.main(argv, SYSTEM, Set.of("burn-down", "bulk-insert", "single-insert", "latency", "continuous",
                "continuous-4", "continuous-jta"), DbSchedulerBench::new);
    }

    @Override
    public BenchResult run(BenchArgs args) throws Exception {
        return switch (args.scenario()) {
            case "burn-down" -> burnDown(args);
            case "bulk-insert" -> bulkInsert(args);
            case "single-insert" -> singleInsert(args);
            case "latency" -> latency(args);
            case "continuous", "continuous-4", "continuous-jta" -> continuous(args);
            default -> throw new IllegalStateException(args.scenario());
        };
    }

    @Override
    public void reset() throws Exception {
        PeerSupport.execute(ds, "TRUNCATE scheduled_tasks; DROP TABLE IF EXISTS bench_users");
    }

    /** A client that only inserts: no scheduler, no worker threads. */
    private static SchedulerClient client(DataSource ds) {
        return SchedulerClient.Builder.create(ds, NOOP, PROBE).build();
    }

    /**
     * @param immediateExecution whether a job scheduled for now wakes the scheduler at once: on for latency, off where
     *        throughput is measured (each wake-up costs a fetch per inserted job)
     */
    private Scheduler scheduler(BenchArgs args, boolean immediateExecution) {
        SchedulerBuilder builder = Scheduler.create(ds, NOOP, PROBE)
                .threads(args.workers())
                .pollUsingLockAndFetch(1.0, 4.0)
                .pollingInterval(Duration.ofSeconds(1))
                .schedulerName(new SchedulerName.Fixed("bench"));
        if (immediateExecution) {
            builder.enableImmediateExecution();
        }
        return builder.build();
    }

    private static void scheduleBulk(SchedulerClient client, int n, int batch) {
        Instant now = Instant.now();
        List<TaskInstance<?>> chunk = new ArrayList<>(batch);
        for (int i = 0; i < n; i++) {
            chunk.add(NOOP.instance("j" + i));
            if (chunk.size() == batch) {
                client.scheduleBatch(chunk, now);
                chunk = new ArrayList<>(batch);
            }
        }
        if (!chunk.isEmpty()) {
            client.scheduleBatch(chunk, now);
        }
    }

    private static int insertBatch(BenchArgs args) {
        return Integer.parseInt(args.get("insert-batch", "1000"));
    }

    private long remaining() throws Exception {
        return PeerSupport.queryLong(harness, "SELECT count(*) FROM scheduled_tasks");
    }

    private BenchResult burnDown(BenchArgs args) throws Exception {
        int n = args.n();
        scheduleBulk(client(ds), n, insertBatch(args));
        long inserted = remaining();
        if (inserted != n) {
            throw new IllegalStateException("expected " + n + " scheduled executions, found " + inserted);
        }
        Scheduler scheduler = scheduler(args, false);
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        scheduler.start();
        long end = PeerSupport.awaitDb(
                () -> PeerSupport.queryLong(harness, "SELECT count(*) FROM (SELECT 1 FROM scheduled_tasks LIMIT 1) x") == 0,
                PeerSupport.timeoutSeconds(args), "scheduled_tasks to empty");
        BenchResult result = BenchResult.rate("burn-down", SYSTEM, n, (end - start) / 1e9).withProcess(meter)
                .withNote("lock-and-fetch(1.0,4.0)");
        scheduler.stop();
        return result;
    }

    private BenchResult bulkInsert(BenchArgs args) {
        int n = args.n();
        int batch = insertBatch(args);
        SchedulerClient client = client(ds);
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        scheduleBulk(client, n, batch);
        long end = System.nanoTime();
        return BenchResult.rate("bulk-insert", SYSTEM, n, (end - start) / 1e9).withProcess(meter)
                .withNote("scheduleBatch(List),batch=" + batch);
    }

    private BenchResult singleInsert(BenchArgs args) {
        int n = args.n();
        SchedulerClient client = client(ds);
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            client.schedule(NOOP.instance("j" + i), Instant.now());
        }
        long end = System.nanoTime();
        return BenchResult.rate("single-insert", SYSTEM, n, (end - start) / 1e9).withProcess(meter);
    }

    private BenchResult latency(BenchArgs args) throws Exception {
        int samples = Math.min(args.n(), 300);
        Scheduler scheduler = scheduler(args, true);
        scheduler.start();
        ProcessMeter meter = ProcessMeter.start();
        // scheduled through the running scheduler, so that enableImmediateExecution wakes it
        long gap = PeerSupport.latencyGapMillis(args);
        // no jitter: with immediate execution the pickup does not depend on the phase of the polling cycle
        double[] ms = PeerSupport.measureLatency(samples, gap, 0,
                seq -> scheduler.schedule(PROBE.instance(String.valueOf(seq)), Instant.now()));
        BenchResult result = PeerSupport.latencyResult(SYSTEM, ms).withProcess(meter)
                .withNote("immediate-execution,gap=" + gap + "ms");
        scheduler.stop();
        return result;
    }

    private BenchResult continuous(BenchArgs args) throws Exception {
        boolean jta = args.scenario().equals("continuous-jta");
        Scheduler scheduler = scheduler(args, false);
        scheduler.start();
        ContinuousLoad.Inserter inserter;
        if (jta) {
            PeerSupport.execute(ds, ContinuousLoad.USER_TABLE);
            ThreadConnection tx = new ThreadConnection(ds);
            SchedulerClient client = client(tx);
            inserter = seq -> tx.inTransaction(c -> {
                PeerSupport.insertUser(c, seq);
                client.schedule(NOOP.instance("c" + seq), Instant.now());
            });
        } else {
            inserter = seq -> scheduler.schedule(NOOP.instance("c" + seq), Instant.now());
        }
        ContinuousLoad load = new ContinuousLoad(args.producers(), inserter);
        ProcessMeter meter = ProcessMeter.start();
        // finished executions are deleted: finished = inserted so far - still in the table (the inserts are read first,
        // so a job inserted between the two reads is not counted as finished)
        ContinuousLoad.Window w = load.run(args.seconds(), () -> {
            long inserted = load.inserted();
            return inserted - remaining();
        });
        BenchResult result = BenchResult.rate(args.scenario(), SYSTEM, w.finished(), w.seconds()).withProcess(meter)
                .withNote(w.note(args.producers()) + ",no-immediate-execution" + (jta ? ",user_row+schedule_atomic" : ""));
        scheduler.stop();
        return result;
    }
}
