package io.quarkiverse.shigoto.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * The statements of load shedding (migration 0013), run by the leader: how long the oldest claimable job of each
 * priority has waited, deferring the lowest priorities, and the queue's shedding state. They read the claim's own
 * index ({@code shigoto_jobs_fetch_idx}: available jobs without a limit key, by priority then due time), one probe per
 * priority present, however many jobs wait.
 */
public final class SheddingStore {

    // the priorities with available jobs in a queue, highest first, each with its oldest due time: a skip scan of the
    // fetch index, one probe per priority
    static final String BANDS = """
            WITH RECURSIVE bands(priority) AS (
                (SELECT priority FROM {schema}.shigoto_jobs
                 WHERE queue = ?1 AND state = 'available' AND limit_key IS NULL
                 ORDER BY priority DESC LIMIT 1)
                UNION ALL
                SELECT (SELECT j.priority FROM {schema}.shigoto_jobs j
                        WHERE j.queue = ?1 AND j.state = 'available' AND j.limit_key IS NULL AND j.priority < b.priority
                        ORDER BY j.priority DESC LIMIT 1)
                FROM bands b
                WHERE b.priority IS NOT NULL
            )
            SELECT b.priority,
                   (SELECT j.scheduled_at FROM {schema}.shigoto_jobs j
                    WHERE j.queue = ?1 AND j.state = 'available' AND j.limit_key IS NULL AND j.priority = b.priority
                    ORDER BY j.priority DESC, j.scheduled_at, j.id LIMIT 1)
            FROM bands b
            WHERE b.priority IS NOT NULL
            ORDER BY b.priority DESC
            """;

    // defers up to ?3 available jobs of a queue below a priority, the lowest first: scheduled again at ?4, no attempt
    // used. SKIP LOCKED: jobs a claim holds right now go to the claim
    static final String DEFER = """
            WITH shed AS (
                SELECT id FROM {schema}.shigoto_jobs
                WHERE queue = ?1 AND state = 'available' AND limit_key IS NULL AND priority < ?2
                ORDER BY priority, scheduled_at DESC, id DESC
                LIMIT ?3
                FOR UPDATE SKIP LOCKED
            )
            UPDATE {schema}.shigoto_jobs j
            SET state = 'scheduled', scheduled_at = ?4
            FROM shed
            WHERE j.id = shed.id
            """;

    // a queue's shedding state: since when it sheds and below which priority, both NULL when it does not
    static final String STATE = """
            INSERT INTO {schema}.shigoto_queues (name, shedding_since, shed_below, updated_at)
            VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (name) DO UPDATE
            SET shedding_since = EXCLUDED.shedding_since, shed_below = EXCLUDED.shed_below, updated_at = EXCLUDED.updated_at
            """;

    /** The oldest claimable job of one priority. */
    public record Band(int priority, Instant oldest) {
    }

    private final DataSource dataSource;
    private final String bands;
    private final String defer;
    private final String state;

    SheddingStore(DataSource dataSource, Schema schema) {
        this.dataSource = dataSource;
        this.bands = schema.render(BANDS);
        this.defer = schema.render(DEFER);
        this.state = schema.render(STATE);
    }

    /** @return the priorities with claimable jobs in the queue, highest first, with their oldest due time */
    public List<Band> bands(String queue) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = Statements.prepare(c, bands, queue);
                ResultSet rs = st.executeQuery()) {
            List<Band> found = new ArrayList<>();
            while (rs.next()) {
                java.sql.Timestamp oldest = rs.getTimestamp(2);
                if (oldest != null) {
                    found.add(new Band(rs.getInt(1), oldest.toInstant()));
                }
            }
            return found;
        }
    }

    /** @return how many jobs below the priority were deferred until {@code until} (at most {@code limit}) */
    public int defer(String queue, int below, int limit, Instant until) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = Statements.prepareFresh(c, defer, queue, below, limit,
                        JobStore.timestamp(until))) {
            return st.executeUpdate();
        }
    }

    /**
     * Stores whether the queue sheds.
     *
     * @param since since when it sheds, or {@code null} when it stopped
     * @param below the priority it sheds below, or {@code null}
     */
    public void state(String queue, Instant since, Integer below, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = Statements.prepare(c, state, queue, JobStore.timestamp(since),
                        below == null ? null : below.shortValue(), JobStore.timestamp(now))) {
            st.executeUpdate();
        }
    }
}
