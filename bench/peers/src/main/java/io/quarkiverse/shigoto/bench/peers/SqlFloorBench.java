package io.quarkiverse.shigoto.bench.peers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import io.quarkiverse.shigoto.bench.common.BenchArgs;
import io.quarkiverse.shigoto.bench.common.BenchResult;
import io.quarkiverse.shigoto.bench.common.ProcessMeter;

/**
 * The physical limit of shigoto's own schema, system name {@code sql-floor}: no framework, no job code, only the SQL
 * statements shigoto runs, on plain JDBC connections in autocommit.
 * <p>
 * Before measuring, the table is created by shigoto's migration {@code META-INF/shigoto/migrations/0001-jobs.sql}
 * (read from the runtime jar, {@code {schema}} set to {@code public}).
 * <ul>
 * <li>{@code burn-down}: n rows (kind {@code noop}, queue {@code bench}, args {@code {}}) come from one
 * {@code INSERT ... SELECT FROM generate_series}, with no explicit {@code ANALYZE}: like every system here, the floor
 * relies on autovacuum, as production does. Then {@code --connections} threads (default 2), each on its own connection, loop:
 * claim up
 * to {@code --batch} rows (default 50) with shigoto's claim statement ({@code FOR UPDATE SKIP LOCKED} over the fetch
 * index, set executing), complete them with one {@code UPDATE ... WHERE id = ANY(?)}, until a claim returns nothing.
 * Timed from the threads' start to the last thread's end.</li>
 * <li>{@code bulk-insert}: the raw COPY floor: one {@code COPY shigoto_jobs (...) FROM STDIN} of n rows with every
 * column shigoto's own bulk insert writes
 * through pgjdbc's {@code CopyManager}.</li>
 * </ul>
 * Other scenarios are not defined for the floor (exit status 2).
 */
public final class SqlFloorBench implements PeerSupport.PeerSystem {

    static final String SYSTEM = "sql-floor";

    static final String MIGRATION = "META-INF/shigoto/migrations/0001-jobs.sql";

    /** shigoto's claim, for the bench queue and a fixed worker name. */
    static final String CLAIM = """
            WITH picked AS (
                SELECT id FROM shigoto_jobs
                WHERE state = 'available' AND queue = 'bench'
                ORDER BY priority DESC, scheduled_at, id
                LIMIT ?
                FOR UPDATE SKIP LOCKED)
            UPDATE shigoto_jobs j SET state = 'executing', attempt = j.attempt + 1, attempted_at = now(),
                attempted_by = 'floor'
            FROM picked WHERE j.id = picked.id
            RETURNING j.id""";

    static final String COMPLETE = "UPDATE shigoto_jobs SET state = 'completed', finished_at = now() WHERE id = ANY(?)";

    private final Connection c;

    private SqlFloorBench(BenchArgs args) throws Exception {
        this.c = PeerSupport.connect(args);
        migrate(c);
    }

    public static void main(String[] argv) {
        PeerSupport.main(argv, SYSTEM, Set.of("burn-down", "bulk-insert"), SqlFloorBench::new);
    }

    @Override
    public BenchResult run(BenchArgs args) throws Exception {
        return args.scenario().equals("burn-down") ? burnDown(args, c) : copy(args, c);
    }

    @Override
    public void reset() throws Exception {
        try (Statement st = c.createStatement()) {
            st.execute("TRUNCATE shigoto_jobs");
        }
    }

    static void migrate(Connection c) throws IOException, SQLException {
        String sql;
        try (InputStream in = SqlFloorBench.class.getClassLoader().getResourceAsStream(MIGRATION)) {
            if (in == null) {
                throw new IllegalStateException(MIGRATION + " is not on the class path (quarkus-shigoto jar)");
            }
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Statement st = c.createStatement()) {
            st.execute(sql.replace("{schema}", "public"));
        }
    }

    private static BenchResult burnDown(BenchArgs args, Connection c) throws Exception {
        int n = args.n();
        int batch = Integer.parseInt(args.get("batch", "50"));
        int connections = Integer.parseInt(args.get("connections", "2"));
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO shigoto_jobs (kind, queue, args)"
                + " SELECT 'noop', 'bench', '{}'::jsonb FROM generate_series(1, ?)")) {
            insert.setInt(1, n);
            insert.executeUpdate();
        }
        List<Connection> conns = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            conns.add(PeerSupport.connect(args));
        }
        AtomicLong completed = new AtomicLong();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Connection conn = conns.get(i);
            threads.add(new Thread(() -> {
                try {
                    completed.addAndGet(drain(conn, batch));
                } catch (Throwable t) {
                    failures.add(t);
                }
            }, "floor-" + i));
        }
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        long timeoutMillis = PeerSupport.timeoutSeconds(args) * 1000;
        for (Thread t : threads) {
            t.join(Math.max(1, timeoutMillis - (System.nanoTime() - start) / 1_000_000));
            if (t.isAlive()) {
                throw new IllegalStateException("the floor's burn-down did not finish in time");
            }
        }
        long end = System.nanoTime();
        BenchResult result = BenchResult.rate("burn-down", SYSTEM, n, (end - start) / 1e9).withProcess(meter)
                .withNote("batch=" + batch + ",connections=" + connections);
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a floor connection failed", failures.get(0));
        }
        long done = PeerSupport.queryLong(c, "SELECT count(*) FROM shigoto_jobs WHERE state = 'completed'");
        if (done != n || completed.get() != n) {
            throw new IllegalStateException("expected " + n + " completed rows, found " + done + " (threads counted "
                    + completed.get() + ")");
        }
        for (Connection conn : conns) {
            conn.close();
        }
        return result;
    }

    /** One connection's loop: claim a batch, complete it, until a claim comes back empty. */
    private static long drain(Connection conn, int batch) throws Exception {
        long done = 0;
        try (PreparedStatement claim = conn.prepareStatement(CLAIM);
                PreparedStatement complete = conn.prepareStatement(COMPLETE)) {
            claim.setInt(1, batch);
            while (true) {
                List<Long> ids = new ArrayList<>(batch);
                try (ResultSet rs = claim.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
                if (ids.isEmpty()) {
                    return done;
                }
                Array array = conn.createArrayOf("bigint", ids.toArray());
                complete.setArray(1, array);
                complete.executeUpdate();
                array.free();
                done += ids.size();
            }
        }
    }

    /**
     * The same rows shigoto's bulk-insert scenario stores (every column it writes, args {@code {"i": n}}), formatted
     * before the clock starts, so only the database's side of the COPY is timed.
     */
    private static BenchResult copy(BenchArgs args, Connection c) throws Exception {
        int n = args.n();
        String now = java.time.Instant.now().toString();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream(n * 120);
        for (int i = 0; i < n; i++) {
            all.writeBytes(("noop\tbench\t0\t{\"i\":" + i + "}\t{}\t{}\t3\t" + now + "\tavailable\t\\N\t" + now + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        byte[] rows = all.toByteArray();
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY shigoto_jobs (kind, queue, priority, args,"
                + " meta, tags, max_attempts, scheduled_at, state, partition_key, inserted_at) FROM STDIN");
        long copied;
        try {
            for (int from = 0; from < rows.length; from += 65536) {
                in.writeToCopy(rows, from, Math.min(65536, rows.length - from));
            }
            copied = in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
        long end = System.nanoTime();
        if (copied != n) {
            throw new IllegalStateException("COPY wrote " + copied + " rows, expected " + n);
        }
        return BenchResult.rate("bulk-insert", SYSTEM, n, (end - start) / 1e9).withProcess(meter).withNote("copy");
    }
}
