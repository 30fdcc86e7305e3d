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

    // the deliveries of nodes that left the cluster (no heartbeat within ?1 ms, database clock; never the node
    // asking, ?5, whose heartbeat may only lag) and still wait: cancelled with a node-left error, which their
    // broadcast counts as done. SKIP LOCKED: a claim holding one now belongs to a live node
    static final String ABANDON = """
            WITH gone AS (
                SELECT d.id FROM {schema}.shigoto_jobs d
                WHERE d.broadcast_node IS NOT NULL AND d.state IN ('available', 'scheduled', 'retryable')
                  AND d.broadcast_node <> ?5
                  AND NOT EXISTS (SELECT 1 FROM {schema}.shigoto_nodes n
                                  WHERE n.id = d.broadcast_node
                                    AND n.heartbeat_at >= clock_timestamp() - ?1 * interval '1 millisecond')
                LIMIT ?2
                FOR UPDATE SKIP LOCKED
            )
            UPDATE {schema}.shigoto_jobs d
            SET state = 'cancelled', finished_at = ?3,
                errors = d.errors || jsonb_build_array(jsonb_build_object(
                    'attempt', d.attempt, 'at', ?4::text, 'type', 'node-left',
                    'message', 'node ' || d.broadcast_node || ' left the cluster before it performed this delivery'))
            FROM gone
            WHERE d.id = gone.id
            RETURNING d.queue
            """;

    // a node's claim of its own deliveries of a queue; the work is in shigoto_claim_deliveries
    static final String CLAIM = SharedSql.CLAIMED_COLUMNS + """
            FROM {schema}.shigoto_claim_deliveries(?1, ?2, ?3, ?4)
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
            SELECT broadcasts, deliveries FROM {schema}.shigoto_broadcast_fan_out(?1, ?2, ?3, ?4, ?5)
            """;

    // what a job is in a broadcast: its broadcast's id (its own, for the broadcast) and, for a delivery, its node
    static final String ROLE = """
            SELECT broadcast_id, broadcast_node FROM {schema}.shigoto_jobs WHERE id = ?1
            """;

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
    private final String deliveries;
    private final String fanOut;
    private final String role;

    BroadcastStore(DataSource dataSource, Schema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.abandon = schema.render(ABANDON);
        this.claim = schema.render(CLAIM);
        this.deliveries = schema.render(DELIVERIES);
        this.fanOut = schema.render(FAN_OUT);
        this.role = schema.render(ROLE);
    }

    /**
     * Fans out up to {@code limit} waiting jobs of a broadcast queue: one delivery each per node that heartbeat within
     * {@code nodeTimeout} and runs the queue, and a notification that wakes the queue on every node at commit.
     */
    public FanOut fanOut(String queue, int limit, Instant now, Duration nodeTimeout) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = Statements.prepare(c, fanOut, queue, limit, JobStore.timestamp(now),
                        nodeTimeout.toMillis(), schema.insertChannel());
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
     * Cancels up to {@code limit} waiting deliveries of nodes that left the cluster (silent for {@code nodeTimeout},
     * or gone from the node table; never {@code self}'s), which lets their broadcasts finish.
     *
     * @return how many per queue
     */
    public Map<String, Integer> abandonDeparted(Duration nodeTimeout, String self, int limit, Instant now)
            throws SQLException {
        Map<String, Integer> abandoned = new TreeMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = Statements.prepareFresh(c, abandon, nodeTimeout.toMillis(), limit,
                        JobStore.timestamp(now), now.toString(), self);
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                abandoned.merge(rs.getString(1), 1, Integer::sum);
            }
        }
        return abandoned;
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
