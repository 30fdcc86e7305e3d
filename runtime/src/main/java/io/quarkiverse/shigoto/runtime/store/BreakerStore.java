package io.quarkiverse.shigoto.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * The circuit breakers' rows (migration 0012): outcomes recorded in batches, the rows read for the dashboard and the
 * API, a breaker closed by hand. The claim reads them itself, in {@code shigoto_claim_limited}.
 */
public final class BreakerStore {

    // every breaker row, by kind
    static final String ALL = """
            SELECT kind, state, recent::text, opened_at, reopens_at, trials, successes, opened_by,
                   nullif(changed_at, '-infinity')
            FROM {schema}.shigoto_breakers
            ORDER BY kind
            """;

    // records a batch of outcomes of breaker kinds through shigoto_breaker_record (migration 0012), which answers the
    // changes of state it made
    static final String RECORD = """
            SELECT kind, state, reopens_at, failures, attempts, from_trial
            FROM {schema}.shigoto_breaker_record(?::text[], ?::text[]::timestamptz[], ?::boolean[], ?::int[], ?::float8[],
                                                 ?::bigint[], ?::int[], ?, ?)
            """;

    // closes a breaker by hand and empties its window; answers the state it was in (none when it has no row)
    static final String RESET = """
            UPDATE {schema}.shigoto_breakers b
            SET state = 'closed', recent = B'', successes = 0, changed_at = ?
            FROM (SELECT kind, state AS was, reopens_at FROM {schema}.shigoto_breakers WHERE kind = ? FOR UPDATE) old
            WHERE b.kind = old.kind
            RETURNING old.was, old.reopens_at
            """;

    /** One stored outcome of a breaker kind, with the kind's settings. */
    public record Outcome(String kind, Instant started, boolean failed, int volume, double ratio, long delayMillis,
            int trials) {
    }

    /**
     * A change of state {@link #record} made: to {@code open} (with {@code reopensAt}; {@code fromTrial} when a failed
     * trial reopened it) or {@code closed}.
     */
    public record Change(String kind, String state, Instant reopensAt, int failures, int attempts, boolean fromTrial) {
    }

    /** A breaker's row; {@code recent} is its window, oldest first, {@code 1} for a failure. */
    public record Row(String kind, String state, String recent, Instant openedAt, Instant reopensAt, int trials,
            int successes, String openedBy, Instant changedAt) {
    }

    private final DataSource dataSource;
    private final String all;
    private final String record;
    private final String reset;

    BreakerStore(DataSource dataSource, Schema schema) {
        this.dataSource = dataSource;
        this.all = schema.render(ALL);
        this.record = schema.render(RECORD);
        this.reset = schema.render(RESET);
    }

    /** @return the changes of state the outcomes made, in kind order */
    public List<Change> record(List<Outcome> outcomes, Instant now, String node) throws SQLException {
        int n = outcomes.size();
        Object[] kinds = new Object[n];
        Object[] started = new Object[n];
        Object[] failed = new Object[n];
        Object[] volumes = new Object[n];
        Object[] ratios = new Object[n];
        Object[] delays = new Object[n];
        Object[] trials = new Object[n];
        for (int i = 0; i < n; i++) {
            Outcome o = outcomes.get(i);
            kinds[i] = o.kind();
            started[i] = o.started().toString();
            failed[i] = o.failed();
            volumes[i] = o.volume();
            ratios[i] = o.ratio();
            delays[i] = o.delayMillis();
            trials[i] = o.trials();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(record)) {
            st.setArray(1, c.createArrayOf("text", kinds));
            st.setArray(2, c.createArrayOf("text", started));
            st.setArray(3, c.createArrayOf("bool", failed));
            st.setArray(4, c.createArrayOf("int4", volumes));
            st.setArray(5, c.createArrayOf("float8", ratios));
            st.setArray(6, c.createArrayOf("int8", delays));
            st.setArray(7, c.createArrayOf("int4", trials));
            st.setObject(8, JobStore.timestamp(now));
            st.setString(9, node);
            List<Change> changes = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    changes.add(new Change(rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)), rs.getInt(4),
                            rs.getInt(5), rs.getBoolean(6)));
                }
            }
            return changes;
        }
    }

    /** @return every breaker's row, by kind */
    public List<Row> all() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(all);
                ResultSet rs = st.executeQuery()) {
            List<Row> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs.getTimestamp(4)),
                        instant(rs.getTimestamp(5)), rs.getInt(6), rs.getInt(7), rs.getString(8),
                        instant(rs.getTimestamp(9))));
            }
            return rows;
        }
    }

    /**
     * Closes a kind's breaker and empties its window.
     *
     * @return whether it was open or half-open before
     */
    public boolean reset(String kind, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(reset)) {
            st.setObject(1, JobStore.timestamp(now));
            st.setString(2, kind);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && "open".equals(rs.getString(1));
            }
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
