package io.quarkiverse.shigoto.bench.app;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.bench.common.BenchArgs;
import io.quarkiverse.shigoto.bench.common.BenchResult;
import io.quarkiverse.shigoto.bench.common.ContinuousLoad;
import io.quarkiverse.shigoto.bench.common.ProcessMeter;
import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The continuous scenarios on shigoto: {@code continuous} (one producer of single inserts), {@code continuous-4} (four)
 * and {@code continuous-jta} (each insert in a JTA transaction with a user row through the Agroal datasource). Counted
 * as the peers are, by finished rows in the database; the note adds the producers' insert rate and insert-to-start
 * p50/p99 of every tenth job.
 */
final class ContinuousRun {

    /** Sampled jobs still queued when the window closes get this long to start. */
    private static final long SAMPLE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private ContinuousRun() {
    }

    static BenchResult run(BenchArgs args, NodeHarness runtime, Shigoto shigoto, AgroalDataSource dataSource,
            BenchJobs jobs) throws Exception {
        boolean jta = args.scenario().equals("continuous-jta");
        if (jta) {
            try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
                st.execute(ContinuousLoad.USER_TABLE);
            }
        }
        ContinuousLoad.Inserter insert = seq -> shigoto.insert(request(seq));
        ContinuousLoad load = new ContinuousLoad(args.producers(), jta ? seq -> QuarkusTransaction.requiringNew()
                .run(() -> insertWithUser(dataSource, shigoto, seq)) : insert);
        Engine engine = runtime.startEngine(runtime.settings("bench-node").withQueues(Map.of("bench", args.workers())));
        ProcessMeter meter = ProcessMeter.start();
        ContinuousLoad.Window w = load.run(args.seconds(), () -> completed(dataSource));
        BenchResult result = BenchResult.rate(args.scenario(), BenchMain.SYSTEM, w.finished(), w.seconds())
                .withProcess(meter);
        awaitSamples(load, w, jobs);
        double[] ms = load.insertToStartMillis(w, jobs.sampleStartedNanos);
        engine.stop();
        return result.withNote(w.note(args.producers()) + ",workers=" + args.workers()
                + (jta ? ",jta:user_row+insert_atomic" : "")
                + String.format(Locale.ROOT, ",insert_to_start_p50=%.1fms,p99=%.1fms,samples=%d",
                        BenchResult.percentile(ms, 50), BenchResult.percentile(ms, 99), ms.length));
    }

    private static JobRequest request(long seq) {
        JobRequest request = JobRequest.of(NoopWorker.class);
        return seq % ContinuousLoad.SAMPLE_EVERY == 0 ? request.arg("sample", seq) : request;
    }

    private static void insertWithUser(AgroalDataSource dataSource, Shigoto shigoto, long seq) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(ContinuousLoad.USER_INSERT)) {
            st.setString(1, "user-" + seq);
            st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        shigoto.insert(request(seq));
    }

    /** Lets the window's sampled jobs that were still queued start, so the tail is not cut off. */
    private static void awaitSamples(ContinuousLoad load, ContinuousLoad.Window w, BenchJobs jobs)
            throws InterruptedException {
        long deadline = System.nanoTime() + SAMPLE_GRACE_NANOS;
        long last = w.endSeq() - 1 - Math.floorMod(w.endSeq() - 1, ContinuousLoad.SAMPLE_EVERY);
        while (last >= w.firstSeq() && load.insertNanos(last) != null && !jobs.sampleStartedNanos.containsKey(last)
                && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    static long completed(AgroalDataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT count(*) FROM shigoto_jobs WHERE state = 'completed'");
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
