package io.quarkiverse.shigoto.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.IntFunction;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Bulk insert through {@code COPY}, the fastest way into a table: ids are taken from the table's sequence first (one
 * round trip), so each row's id is known without RETURNING, then all rows stream in as one COPY, written in blocks as
 * they are formatted (and, for a batch of plain requests, as they are resolved) so the database parses one block while
 * the next is being built.
 */
final class CopyInsert {

    // COPY_JOBS for members of a batch: one more column, the same batch on every row
    private static final String COPY_BATCH_JOBS = """
            COPY {schema}.shigoto_jobs (id, kind, queue, priority, args, meta, tags, max_attempts, scheduled_at, state,
                                        partition_key, inserted_at, limit_key, batch_id) FROM STDIN
            """;

    // streams jobs in with COPY (text format, ids already reserved); the column order is the one write formats rows in
    private static final String COPY_JOBS = """
            COPY {schema}.shigoto_jobs (id, kind, queue, priority, args, meta, tags, max_attempts, scheduled_at, state,
                                        partition_key, inserted_at, limit_key) FROM STDIN
            """;

    // takes ? ids from the job table's sequence, in order, for a COPY that must know its rows' ids; the sequence is
    // looked up once, in a sub-select (an InitPlan): as a plain argument pg_get_serial_sequence and the cast to
    // regclass ran for every row, ten times the cost of the nextval calls themselves
    private static final String RESERVE_IDS = """
            SELECT nextval((SELECT pg_get_serial_sequence('{schema}.shigoto_jobs', 'id')::regclass))
            FROM generate_series(1, ?)
            """;

    /** Below this many rows a single unnest statement is cheaper than the two round trips of COPY. */
    static final int MIN_ROWS = 1_000;
    private static final int BLOCK = 64 * 1024;

    private final String reserveIds;
    private final String copy;
    private final String copyBatch;

    CopyInsert(Schema schema) {
        this.reserveIds = schema.render(RESERVE_IDS);
        this.copy = schema.render(COPY_JOBS);
        this.copyBatch = schema.render(COPY_BATCH_JOBS);
    }

    /**
     * Streams {@code n} rows, each made by {@code make} just before it is formatted, so the database parses one block
     * while the next jobs are made; {@code ids} are filled before the first one is made. When {@code make} throws, the
     * COPY is cancelled and the exception goes up: the caller rolls back its transaction, which must be its own.
     */
    void insert(Connection c, int n, IntFunction<NewJob> make, Instant now, long[] ids, int offset, Long batch)
            throws SQLException {
        reserve(c, n, ids, offset);
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(batch == null ? copy : copyBatch);
        try {
            write(in, n, make, now, ids, offset, batch);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private static void write(CopyIn in, int n, IntFunction<NewJob> make, Instant now, long[] ids, int offset,
            Long batch) throws SQLException {
        CopyText rows = new CopyText(BLOCK + 4096);
        for (int i = 0; i < n; i++) {
            NewJob j = make.apply(i);
            rows.number(ids[offset + i]).tab()
                    .text(j.kind()).tab()
                    .text(j.queue()).tab()
                    .number(j.priority()).tab()
                    .text(j.argsJson()).tab()
                    .text(j.metaJson()).tab()
                    .textArray(j.tags()).tab()
                    .number(j.maxAttempts()).tab()
                    .time(j.scheduledAt()).tab()
                    .ascii(j.state().dbName()).tab()
                    .text(j.partitionKey()).tab()
                    .time(now).tab()
                    .text(j.limitKey());
            if (batch != null) {
                rows.tab().number(batch);
            }
            rows.endRow();
            if (rows.size() >= BLOCK) {
                flush(in, rows);
            }
        }
        flush(in, rows);
    }

    /** Sends the block; pgjdbc copies it into its stream, so the buffer is reused for the next one. */
    private static void flush(CopyIn in, CopyText rows) throws SQLException {
        if (rows.size() > 0) {
            in.writeToCopy(rows.bytes(), 0, rows.size());
            rows.clear();
        }
    }

    private void reserve(Connection c, int n, long[] ids, int offset) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(reserveIds)) {
            st.setInt(1, n);
            try (ResultSet rs = st.executeQuery()) {
                int i = offset;
                while (rs.next()) {
                    ids[i++] = rs.getLong(1);
                }
            }
        }
    }
}
