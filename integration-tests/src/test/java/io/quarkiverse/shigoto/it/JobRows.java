package io.quarkiverse.shigoto.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * The one place tests write job rows with raw SQL: rows no client would produce (an unknown kind, args that are not
 * an object), as another node or a hand-written script might.
 */
final class JobRows {

    private final DataSource dataSource;
    private String kind = "echo";
    private String queue = "default";
    private String argsJson = "{}";
    private int maxAttempts = 3;
    private String limitKey;
    private String metaJson = "{}";
    private String tags = "{}";
    private int attempt;
    private int attemptBase;
    private Long batch;

    private JobRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    static JobRows in(DataSource dataSource) {
        return new JobRows(dataSource);
    }

    JobRows kind(String kind) {
        this.kind = kind;
        return this;
    }

    JobRows queue(String queue) {
        this.queue = queue;
        return this;
    }

    JobRows argsJson(String argsJson) {
        this.argsJson = argsJson;
        return this;
    }

    /** Members of this batch (its total is the caller's to keep). */
    JobRows batch(long batch) {
        this.batch = batch;
        return this;
    }

    JobRows maxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
        return this;
    }

    /** Meta as raw JSON text, which need not be an object. */
    JobRows metaJson(String metaJson) {
        this.metaJson = metaJson;
        return this;
    }

    /** Tags as a PostgreSQL array literal, which may hold NULL elements or nested arrays. */
    JobRows tagsLiteral(String tags) {
        this.tags = tags;
        return this;
    }

    /** The attempts used so far, as another release or a script may have left them. */
    JobRows attempt(int attempt) {
        this.attempt = attempt;
        return this;
    }

    /** The attempt count at the last retry by hand, which raises the budget. */
    JobRows attemptBase(int attemptBase) {
        this.attemptBase = attemptBase;
        return this;
    }

    /** A limit key as an insert of another version of the application (or none) would have stored it. */
    JobRows limitKey(String limitKey) {
        this.limitKey = limitKey;
        return this;
    }

    /** @return the new job's id */
    long insert() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return insert(c);
        }
    }

    /**
     * Inserts the rows in one transaction, so they become available at once and the next claim takes them together.
     *
     * @return their ids, in order
     */
    static List<Long> insertTogether(DataSource dataSource, List<JobRows> rows) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                List<Long> ids = new ArrayList<>();
                for (JobRows row : rows) {
                    ids.add(row.insert(c));
                }
                c.commit();
                return ids;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private long insert(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO shigoto_jobs (kind, queue, args, max_attempts,"
                + " limit_key, meta, tags, attempt, attempt_base) VALUES (?, ?, ?::jsonb, ?, ?, ?::jsonb, ?::text[], ?, ?)"
                + " RETURNING id")) {
            st.setString(1, kind);
            st.setString(2, queue);
            st.setString(3, argsJson);
            st.setInt(4, maxAttempts);
            st.setString(5, limitKey);
            st.setString(6, metaJson);
            st.setString(7, tags);
            st.setInt(8, attempt);
            st.setInt(9, attemptBase);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Inserts {@code count} such jobs in one statement, numbered 1 to count in {@code args.n}. */
    void insertMany(int count) throws SQLException {
        execute(dataSource, "INSERT INTO shigoto_jobs (kind, queue, args, max_attempts, limit_key, batch_id)"
                + " SELECT ?, ?, ?::jsonb || jsonb_build_object('n', g), ?, ?, ?::bigint FROM generate_series(1, ?) g",
                kind, queue, argsJson, maxAttempts, limitKey, batch, count);
    }

    /** Reads the first column of a row. */
    private interface Column<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> column(DataSource dataSource, String sql, Column<T> column, Object... params)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            List<T> values = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    values.add(column.read(rs));
                }
            }
            return values;
        }
    }

    /** Runs a query answering one text per row. */
    static List<String> strings(DataSource dataSource, String sql, Object... params) throws SQLException {
        return column(dataSource, sql, rs -> rs.getString(1), params);
    }

    /** Runs a query answering one long per row. */
    static List<Long> longs(DataSource dataSource, String sql, Object... params) throws SQLException {
        return column(dataSource, sql, rs -> rs.getLong(1), params);
    }

    static long single(DataSource dataSource, String sql, Object... params) throws SQLException {
        return longs(dataSource, sql, params).get(0);
    }

    static void execute(DataSource dataSource, String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            st.execute();
        }
    }
}
