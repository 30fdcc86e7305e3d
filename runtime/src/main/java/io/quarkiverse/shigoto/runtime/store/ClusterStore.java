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

/**
 * What nodes share besides jobs: persisted queue controls, the node registry and control notifications.
 */
public final class ClusterStore {

    // registers this node or refreshes its heartbeat and the queues it runs
    private static final String NODE_HEARTBEAT = """
            INSERT INTO {schema}.shigoto_nodes (id, host, started_at, heartbeat_at, queues)
            VALUES (?, ?, ?, clock_timestamp(), ?::jsonb)
            ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, queues = excluded.queues
            """;

    // a stopping node leaves the registry
    private static final String NODE_REMOVE = """
            DELETE FROM {schema}.shigoto_nodes WHERE id = ?
            """;

    // every node that heartbeat within the last ? ms, with how long it has been silent. Heartbeats are on the
    // database's clock: liveness is real time, the same for every node whatever its own clock says
    private static final String NODES = """
            SELECT id, host, started_at, heartbeat_at, queues::text,
                   (extract(epoch FROM clock_timestamp() - heartbeat_at) * 1000)::bigint
            FROM {schema}.shigoto_nodes
            WHERE heartbeat_at > clock_timestamp() - ? * interval '1 millisecond'
            ORDER BY id
            """;

    // pauses or resumes a queue for every node, persisted
    private static final String QUEUE_PAUSE = """
            INSERT INTO {schema}.shigoto_queues (name, paused, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET paused = excluded.paused, updated_at = excluded.updated_at
            """;

    // sets the concurrency of a queue on every node, persisted
    private static final String QUEUE_SCALE = """
            INSERT INTO {schema}.shigoto_queues (name, concurrency, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET concurrency = excluded.concurrency, updated_at = excluded.updated_at
            """;

    /**
     * The persisted controls of a queue.
     *
     * @param name the queue
     * @param paused whether every node stopped claiming it
     * @param concurrency the concurrency every node runs it with, or {@code null} for the configured one
     * @param sheddingSince since when it sheds load, or {@code null} when it does not
     */
    public record QueueControl(String name, boolean paused, Integer concurrency, Instant sheddingSince) {
    }

    /**
     * A registered node.
     *
     * @param id its id
     * @param host its host name
     * @param startedAt when it started
     * @param heartbeatAt its last heartbeat
     * @param queues the queues it runs, each with its concurrency and running attempts
     * @param silentFor how long ago its last heartbeat was, on the database's clock
     */
    public record NodeRow(String id, String host, Instant startedAt, Instant heartbeatAt, Map<String, Object> queues,
            Duration silentFor) {

        /** @return whether the node heartbeat within the last {@code nodeTimeout} (it is not lost) */
        public boolean liveWithin(Duration nodeTimeout) {
            return silentFor.compareTo(nodeTimeout) < 0;
        }

        /** @return whether the node runs the queue as a broadcast queue (at its last heartbeat) */
        public boolean broadcasts(String queue) {
            return queues.get(queue) instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("broadcast"));
        }

        /** @return the concurrency the node claims a queue with (0 when paused) */
        public int concurrency(String queue) {
            return field(queue, "concurrency");
        }

        /** @return how many attempts of a queue ran on the node at its last heartbeat */
        public int running(String queue) {
            return field(queue, "running");
        }

        // a queue's entry is {"concurrency": c, "running": r}, with "broadcast": true for a broadcast queue; nodes of the
        // first release wrote the bare concurrency
        private int field(String queue, String name) {
            Object entry = queues.get(queue);
            if (entry instanceof Number n) {
                return name.equals("concurrency") ? n.intValue() : 0;
            }
            if (entry instanceof Map<?, ?> m && m.get(name) instanceof Number n) {
                return n.intValue();
            }
            return 0;
        }
    }

    private final DataSource dataSource;
    private final Schema schema;

    ClusterStore(DataSource dataSource, Schema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    /**
     * Pauses or resumes a queue on every node.
     *
     * @param announcement the control message that tells the nodes, sent in the same transaction (so at commit)
     */
    public void pause(String queue, boolean paused, Instant now, String announcement) throws SQLException {
        update(QUEUE_PAUSE, queue, paused, now, announcement);
    }

    /**
     * Sets the concurrency of a queue on every node.
     *
     * @param announcement the control message that tells the nodes, sent in the same transaction (so at commit)
     */
    public void scale(String queue, int concurrency, Instant now, String announcement) throws SQLException {
        update(QUEUE_SCALE, queue, concurrency, now, announcement);
    }

    private void update(String sql, String queue, Object value, Instant now, String announcement)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (PreparedStatement st = c.prepareStatement(schema.render(sql))) {
                    st.setString(1, queue);
                    st.setObject(2, value);
                    st.setObject(3, JobStore.timestamp(now));
                    st.executeUpdate();
                }
                announce(c, announcement);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    /** @return the persisted controls of every queue that has any */
    public List<QueueControl> queueControls() throws SQLException {
        List<QueueControl> queues = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(SharedSql.QUEUES));
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                java.sql.Timestamp shedding = rs.getTimestamp(4);
                queues.add(new QueueControl(rs.getString(1), rs.getBoolean(2), (Integer) rs.getObject(3, Integer.class),
                        shedding == null ? null : shedding.toInstant()));
            }
        }
        return queues;
    }

    /** @return the data source, for a connection a caller keeps (the heartbeat's) */
    public DataSource dataSource() {
        return dataSource;
    }

    /** Registers a node or refreshes its heartbeat (on the database's clock), on the caller's connection. */
    public void heartbeat(Connection c, String node, String host, Instant startedAt, String queuesJson)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement(schema.render(NODE_HEARTBEAT))) {
            st.setString(1, node);
            st.setString(2, host);
            st.setObject(3, JobStore.timestamp(startedAt));
            st.setString(4, queuesJson);
            st.executeUpdate();
        }
    }

    /** Removes a stopping node from the registry. */
    public void removeNode(String node) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(NODE_REMOVE))) {
            st.setString(1, node);
            st.executeUpdate();
        }
    }

    /** @return the nodes that heartbeat within the last {@code within} (database clock) */
    public List<NodeRow> nodes(Duration within) throws SQLException {
        List<NodeRow> nodes = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(NODES))) {
            st.setLong(1, within.toMillis());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    nodes.add(new NodeRow(rs.getString(1), rs.getString(2), JobStore.instant(rs, 3),
                            JobStore.instant(rs, 4), JsonCodec.readObject(rs.getString(5)),
                            Duration.ofMillis(Math.max(0, rs.getLong(6)))));
                }
            }
        }
        return nodes;
    }

    /**
     * @param nodes nodes as read by {@link #nodes(Duration)}
     * @param nodeTimeout how long after its last heartbeat a node counts as lost
     * @return by queue, how many attempts the live nodes ran at their last heartbeat
     */
    public static Map<String, Integer> executing(List<NodeRow> nodes, Duration nodeTimeout) {
        Map<String, Integer> executing = new TreeMap<>();
        for (NodeRow n : nodes) {
            if (n.liveWithin(nodeTimeout)) {
                n.queues().keySet().forEach(q -> executing.merge(q, n.running(q), Integer::sum));
            }
        }
        return executing;
    }

    /**
     * Sends control messages (encoded by {@code cluster.NodeSignals}) to every node, itself included; one notification
     * each, delivered at commit.
     */
    public void announce(List<String> messages) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            for (String m : messages) {
                announce(c, m);
            }
        }
    }

    private void announce(Connection c, String message) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(SharedSql.NOTIFY)) {
            st.setString(1, schema.controlChannel());
            st.setString(2, message);
            st.execute();
        }
    }
}
