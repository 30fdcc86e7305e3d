package io.quarkiverse.shigoto.runtime.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Bulk insert through {@code COPY}, the fastest way into a table: ids are taken from the table's sequence first (one
 * round trip), so each row's id is known without RETURNING, then all rows stream in as one COPY, written in blocks as
 * they are formatted so the database parses one block while the next is being built.
 */
final class CopyInsert {

    /** Below this many rows a single unnest statement is cheaper than the two round trips of COPY. */
    static final int MIN_ROWS = 1_000;
    private static final int BLOCK = 64 * 1024;

    private final String reserveIds;
    private final String copy;

    CopyInsert(Schema schema) {
        this.reserveIds = schema.render(Sql.RESERVE_IDS);
        this.copy = schema.render(Sql.COPY_JOBS);
    }

    void insert(Connection c, List<NewJob> jobs, Instant now, long[] ids, int offset) throws SQLException {
        reserve(c, jobs.size(), ids, offset);
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(copy);
        try {
            write(in, jobs, now, ids, offset);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private static void write(CopyIn in, List<NewJob> jobs, Instant now, long[] ids, int offset) throws SQLException {
        ByteArrayOutputStream rows = new ByteArrayOutputStream(BLOCK + 4096);
        StringBuilder line = new StringBuilder(256);
        String insertedAt = now.toString();
        for (int i = 0; i < jobs.size(); i++) {
            NewJob j = jobs.get(i);
            line.setLength(0);
            line.append(ids[offset + i]).append('\t');
            field(line, j.kind()).append('\t');
            field(line, j.queue()).append('\t');
            line.append(j.priority()).append('\t');
            field(line, j.argsJson()).append('\t');
            field(line, j.metaJson()).append('\t');
            field(line, PgArrays.literal(j.tags())).append('\t');
            line.append(j.maxAttempts()).append('\t');
            line.append(j.scheduledAt()).append('\t');
            line.append(j.state().dbName()).append('\t');
            field(line, j.partitionKey()).append('\t');
            line.append(insertedAt).append('\t');
            field(line, j.limitKey()).append('\n');
            rows.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
            if (rows.size() >= BLOCK) {
                flush(in, rows);
            }
        }
        flush(in, rows);
    }

    private static void flush(CopyIn in, ByteArrayOutputStream rows) throws SQLException {
        if (rows.size() > 0) {
            byte[] bytes = rows.toByteArray();
            in.writeToCopy(bytes, 0, bytes.length);
            rows.reset();
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

    /** Writes a value in COPY text format: backslash, tab, newline and carriage return escaped, null as \N. */
    static StringBuilder field(StringBuilder out, String value) {
        if (value == null) {
            return out.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
        return out;
    }
}
