package io.quarkiverse.shigoto.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import io.quarkiverse.shigoto.Delivery;

/**
 * The statements of broadcast queues (migration 0014): fanning a job out into one delivery per live node, a node's
 * claim of its own deliveries, the deliveries of nodes that left the cluster, and a broadcast's deliveries for its
 * readers. A delivery is a job row; everything else (finishing, retries, rescue, cancellation, the broadcast's own
 * finish) is the job table's usual statements plus the triggers of the migration.
 */
public final class BroadcastStore {

    // the waiting deliveries no node will claim: those of nodes that left the cluster (no heartbeat within ?1 ms,
    // database clock, or no longer running the queue; never the node asking, ?5, whose heartbeat may only lag),
    // given up with a node-left error their broadcast counts as done, and those of a broadcast no longer running
    // their fan-out (a delivery retried by hand after its broadcast could not be reopened, or an old fan-out's),
    // given up as broadcast-over. SKIP LOCKED: a claim holding one now belongs to a live node
    static final String ABANDON = """
            WITH gone AS (
                SELECT d.id, r.over
                FROM {schema}.shigoto_jobs d
                CROSS JOIN LATERAL (SELECT NOT EXISTS (SELECT 1 FROM {schema}.shigoto_jobs b
                                                       WHERE b.id = d.broadcast_id AND b.state = 'executing'
                                                         AND b.attempt = d.broadcast_round) AS over) r
                WHERE d.broadcast_node IS NOT NULL AND d.state IN ('available', 'scheduled', 'retryable')
                  AND (r.over
                       OR d.broadcast_node <> ?5
                          AND NOT EXISTS (SELECT 1 FROM {schema}.shigoto_nodes n
                                          WHERE n.id = d.broadcast_node AND (n.queues -> d.queue) IS NOT NULL
                                            AND n.heartbeat_at >= clock_timestamp() - ?1 * interval '1 millisecond'))
                LIMIT ?2
                FOR UPDATE OF d SKIP LOCKED
            )
            UPDATE {schema}.shigoto_jobs d
            SET state = 'cancelled', finished_at = ?3,
                errors = d.errors || jsonb_build_array(CASE
                    WHEN gone.over THEN jsonb_build_object('attempt', d.attempt, 'at', ?4::text,
                        'type', 'broadcast-over', 'message', 'its broadcast job ' || d.broadcast_id
                            || ' no longer runs this fan-out')
                    ELSE jsonb_build_object('attempt', d.attempt, 'at', ?4::text, 'type', 'node-left',
                        'message', 'node ' || d.broadcast_node || ' left the cluster before it performed this delivery')
                    END)
            FROM gone
            WHERE d.id = gone.id
            RETURNING d.queue, gone.over
            """;

    // a node's claim of its own deliveries of a queue; the work is in shigoto_claim_deliveries
    static final String CLAIM = SharedSql.CLAIMED_COLUMNS + """
            FROM {schema}.shigoto_claim_deliveries(?1, ?2, ?3, ?4)
            """;

    // the broadcasts whose current fan-out's deliveries are all finished but which are still executing: a close
    // skipped the row (a cancel or a retry held it) or saw a delivery another transaction had not committed
    static final String CLOSABLE = """
            SELECT b.id FROM {schema}.shigoto_jobs b
            WHERE b.broadcast_id IS NOT NULL AND b.broadcast_node IS NULL AND b.state = 'executing'
              AND NOT EXISTS (SELECT 1 FROM {schema}.shigoto_jobs d
                              WHERE d.broadcast_id = b.id AND d.broadcast_node IS NOT NULL
                                AND d.broadcast_round = b.attempt
                                AND d.state NOT IN ('completed', 'discarded', 'cancelled'))
            ORDER BY b.id
            LIMIT ?1
            """;

    // closes one broadcast; the work is in shigoto_broadcast_close
    static final String CLOSE = """
            SELECT {schema}.shigoto_broadcast_close(?1, ?2)
            """;

    // the deliveries of a broadcast, every fan-out's, by node then id; the broadcast's own row is not one
    static final String DELIVERIES = SharedSql.JOB_COLUMNS + """
            , broadcast_node
            FROM {schema}.shigoto_jobs
            WHERE broadcast_id = ?1 AND broadcast_node IS NOT NULL
            ORDER BY broadcast_node, id
            LIMIT ?2
            """;

    // fans waiting jobs of a broadcast queue out; the work is in shigoto_broadcast_fan_out
    static final String FAN_OUT = """
            SELECT broadcasts, deliveries FROM {schema}.shigoto_broadcast_fan_out(?1, ?2, ?3, ?4, ?5, ?6)
            """;

    // what a job is in a broadcast: its broadcast's id (its own, for the broadcast) and, for a delivery, its node
    static final String ROLE = """
            SELECT broadcast_id, broadcast_node FROM {schema}.shigoto_jobs WHERE id = ?1
            """;

    /**
     * The waiting deliveries one pass gave up.
     *
     * @param nodeLeft per queue, those of nodes that left the cluster
     * @param total those and the ones of broadcasts no longer running their fan-out
     */
    public record Abandoned(Map<String, Integer> nodeLeft, int total) {
    }

    /** How many jobs one fan-out turned into broadcasts, and how many deliveries it wrote for them. */
    public record FanOut(int broadcasts, int deliveries) {
    }

    /**
     * What a job is in a broadcast queue.
     *
     * @param broadcastId the broadcast's id: the job's own when it is the broadcast
     * @param node the node of a delivery, {@code null} for the broadcast
     */
    public record Role(long broadcastId, String node) {

        public boolean delivery() {
            return node != null;
        }
    }

    /** The most deliveries one read answers: more nodes than any cluster runs, times a few fan-outs. */
    public static final int MAX_DELIVERIES = 1_000;

    private final DataSource dataSource;
    private final Schema schema;
    private final String abandon;
    private final String claim;
    private final String closable;
    private final String close;
    private final String deliveries;
    private final String fanOut;
    private final String role;

    BroadcastStore(DataSource dataSource, Schema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.abandon = schema.render(ABANDON);
        this.claim = schema.render(CLAIM);
        this.closable = schema.render(CLOSABLE);
        this.close = schema.render(CLOSE);
        this.deliveries = schema.render(DELIVERIES);
        this.fanOut = schema.render(FAN_OUT);
        this.role = schema.render(ROLE);
    }

    /**
     * Fans out up to {@code limit} waiting jobs of a broadcast queue: one delivery each per node that heartbeat within
     * {@code nodeTimeout} and runs the queue (always one for {@code node}, which fans out), and a notification that
     * wakes the queue on every node at commit.
     */
    public FanOut fanOut(String queue, int limit, Instant now, Duration nodeTimeout, String node) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = Statements.prepare(c, fanOut, queue, limit, JobStore.timestamp(now),
                        nodeTimeout.toMillis(), schema.insertChannel(), node);
                ResultSet rs = st.executeQuery()) {
            return rs.next() ? new FanOut(rs.getInt(1), rs.getInt(2)) : new FanOut(0, 0);
        }
    }

    /** @return up to {@code limit} of this node's deliveries of the queue, claimed, in claim order */
    public List<ClaimedJob> claim(String queue, int limit, String node, Instant now) throws SQLException {
        List<ClaimedJob> jobs = new ArrayList<>(limit);
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = Statements.prepare(c, claim, queue, limit, JobStore.timestamp(now), node);
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                jobs.add(JobStore.claimed(rs));
            }
        }
        jobs.sort(JobStore.CLAIM_ORDER);
        return jobs;
    }

    /**
     * Gives up up to {@code limit} waiting deliveries no node will claim: those of nodes that left the cluster (silent
     * for {@code nodeTimeout}, gone from the node table, or no longer running the queue; never {@code self}'s), which
     * lets their broadcasts finish, and those of broadcasts no longer running their fan-out.
     *
     * @return what was given up
     */
    public Abandoned abandonDeparted(Duration nodeTimeout, String self, int limit, Instant now) throws SQLException {
        Map<String, Integer> abandoned = new TreeMap<>();
        int rows = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = Statements.prepareFresh(c, abandon, nodeTimeout.toMillis(), limit,
                        JobStore.timestamp(now), now.toString(), self);
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                rows++;
                if (!rs.getBoolean(2)) {
                    abandoned.merge(rs.getString(1), 1, Integer::sum);
                }
            }
        }
        return new Abandoned(abandoned, rows);
    }

    /**
     * Closes the broadcasts whose deliveries are all finished but that no transaction closed (at most {@code limit}).
     *
     * @return how many it looked at
     */
    public int closeFinished(int limit, Instant now) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement st = Statements.prepareFresh(c, closable, limit); ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            for (long id : ids) {
                try (PreparedStatement st = Statements.prepare(c, close, id, JobStore.timestamp(now))) {
                    st.execute();
                }
            }
        }
        return ids.size();
    }

    /** @return the deliveries of a broadcast (at most {@link #MAX_DELIVERIES}), by node; none for another job */
    public List<Delivery> deliveries(long broadcastId) throws SQLException {
        List<Delivery> found = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = Statements.prepareFresh(c, deliveries, broadcastId, MAX_DELIVERIES);
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                found.add(new Delivery(rs.getString(20), JobStore.view(rs)));
            }
        }
        return found;
    }

    /** @return what the job is in a broadcast queue, or {@code null} when it is not part of a broadcast */
    public Role role(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = Statements.prepareFresh(c, role, id);
                ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            long broadcast = rs.getLong(1);
            return rs.wasNull() ? null : new Role(broadcast, rs.getString(2));
        }
    }
}
