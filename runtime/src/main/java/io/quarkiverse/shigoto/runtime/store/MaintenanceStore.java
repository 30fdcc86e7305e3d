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
import java.util.Optional;
import java.util.TreeMap;

import javax.sql.DataSource;

import io.quarkiverse.shigoto.JobState;

/**
 * The statements of the maintenance a cluster needs: the leadership lease, finding the jobs of lost nodes, pruning
 * finished jobs and the per-minute outcome counts of the throughput chart.
 */
public final class MaintenanceStore {

    /**
     * The current leader.
     *
     * @param node its node id
     * @param electedAt when it took the lease
     * @param expiresAt when its lease runs out unless renewed
     */
    public record Leader(String node, Instant electedAt, Instant expiresAt) {
    }

    /**
     * A node that holds executing jobs but stopped heartbeating.
     *
     * @param node its id
     * @param lastHeartbeat its last heartbeat, or {@code null} when it left the node table
     */
    public record LostNode(String node, Instant lastHeartbeat) {
    }

    /**
     * Outcomes of one minute, over every node.
     *
     * @param minute the minute's start
     * @param completed jobs completed
     * @param failed attempts that failed and will be retried
     * @param discarded jobs discarded
     * @param cancelled jobs that cancelled themselves
     */
    public record MinuteStats(Instant minute, long completed, long failed, long discarded, long cancelled) {
    }

    /**
     * Outcome counts of one node, to add.
     *
     * @param minute the minute's start
     * @param queue the queue
     * @param completed jobs completed
     * @param failed attempts that failed and will be retried
     * @param discarded jobs discarded
     * @param cancelled jobs that cancelled themselves
     */
    public record Counts(Instant minute, String queue, int completed, int failed, int discarded, int cancelled) {
    }

    private final DataSource dataSource;
    private final Schema schema;
    private volatile String[] timeoutKinds = new String[0];
    private volatile Long[] timeoutMillis = new Long[0];

    MaintenanceStore(DataSource dataSource, Schema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    /**
     * Takes or renews the leadership lease.
     *
     * @return when this node was elected, if it holds the lease now
     */
    public Optional<Instant> acquireLeadership(String node, Duration lease) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(Sql.LEADER_ACQUIRE))) {
            st.setString(1, node);
            st.setLong(2, lease.toMillis());
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(JobStore.instant(rs, 1)) : Optional.empty();
            }
        }
    }

    /** Gives the lease up if this node holds it. */
    public void releaseLeadership(String node) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(Sql.LEADER_RELEASE))) {
            st.setString(1, node);
            st.executeUpdate();
        }
    }

    /** @return the leader whose lease has not expired, if any */
    public Optional<Leader> leader() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(Sql.LEADER));
                ResultSet rs = st.executeQuery()) {
            return rs.next()
                    ? Optional.of(new Leader(rs.getString(1), JobStore.instant(rs, 2), JobStore.instant(rs, 3)))
                    : Optional.empty();
        }
    }

    /** @return the nodes holding executing jobs that have not heartbeat for {@code timeout}, or left the table */
    public List<LostNode> lostNodes(Duration timeout) throws SQLException {
        List<LostNode> lost = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(Sql.LOST_NODES))) {
            st.setLong(1, timeout.toMillis());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    lost.add(new LostNode(rs.getString(1), JobStore.instant(rs, 2)));
                }
            }
        }
        return lost;
    }

    /** @return up to {@code limit} executing jobs of a node with ids above {@code afterId}, in id order */
    public List<ClaimedJob> executingOn(String node, long afterId, int limit) throws SQLException {
        List<ClaimedJob> jobs = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(Sql.LOST_JOBS))) {
            st.setString(1, node);
            st.setLong(2, afterId);
            st.setInt(3, limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    jobs.add(JobStore.claimed(rs));
                }
            }
        }
        return jobs;
    }

    /**
     * Removes the rows of nodes silent for longer than {@code silence} that hold no executing job any more.
     *
     * @return how many were removed
     */
    public int forgetLostNodes(Duration silence) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(Sql.NODES_FORGET))) {
            st.setLong(1, silence.toMillis());
            return st.executeUpdate();
        }
    }

    /** @return how many jobs execute on the given nodes, counting up to {@code cap} */
    public long executingOn(List<String> nodes, int cap) throws SQLException {
        if (nodes.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(Sql.EXECUTING_ON))) {
            st.setArray(1, c.createArrayOf("text", nodes.toArray()));
            st.setInt(2, cap);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Sets the attempt timeout of each kind this node runs, which {@link #stuckJobCount} uses to find attempts that
     * outlived it on a live node.
     */
    public void attemptTimeouts(Map<String, Duration> timeouts) {
        String[] kinds = new String[timeouts.size()];
        Long[] millis = new Long[timeouts.size()];
        int i = 0;
        for (Map.Entry<String, Duration> e : new TreeMap<>(timeouts).entrySet()) {
            kinds[i] = e.getKey();
            millis[i++] = e.getValue().toMillis();
        }
        this.timeoutKinds = kinds;
        this.timeoutMillis = millis;
    }

    /**
     * Counts stuck jobs: those executing on nodes that have not heartbeat for {@code timeout} (or left the node
     * table), which the leader's rescuer has not retried yet, and those executing on live nodes for longer than
     * their kind's attempt timeout plus {@code timeout}, which no attempt runs any more (see
     * {@link #attemptTimeouts}). Reads the executing index only: one probe per node holding executing jobs, then at
     * most {@code cap} entries each.
     *
     * @return the count, at most {@code cap}
     */
    public long stuckJobCount(Duration timeout, int cap) throws SQLException {
        List<String> lost = lostNodes(timeout).stream().map(LostNode::node).toList();
        long stuck = executingOn(lost, cap);
        String[] kinds = timeoutKinds;
        if (stuck >= cap || kinds.length == 0) {
            return Math.min(stuck, cap);
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(Sql.OVERDUE))) {
            st.setArray(1, c.createArrayOf("text", kinds));
            st.setArray(2, c.createArrayOf("int8", timeoutMillis));
            st.setArray(3, c.createArrayOf("text", lost.toArray()));
            st.setLong(4, timeout.toMillis());
            st.setInt(5, (int) (cap - stuck));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return stuck + rs.getLong(1);
            }
        }
    }

    /**
     * Deletes (or archives) up to {@code limit} of the oldest jobs of a finished state that finished before
     * {@code before}, with their dependency edges.
     *
     * @return the ids of the pruned jobs
     */
    public long[] prune(JobState state, Instant before, int limit, boolean archive, Instant now)
            throws SQLException {
        if (!state.isFinal()) {
            throw new IllegalArgumentException("only finished jobs are pruned, not " + state);
        }
        List<Long> ids = new ArrayList<>(limit);
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(archive ? Sql.PRUNE_ARCHIVE : Sql.PRUNE))) {
            st.setString(1, state.name().toLowerCase(java.util.Locale.ROOT));
            st.setObject(2, JobStore.timestamp(before));
            st.setInt(3, limit);
            if (archive) {
                st.setObject(4, JobStore.timestamp(now));
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Deletes up to {@code limit} of the oldest archived jobs archived before {@code before}.
     *
     * @return how many were deleted
     */
    public int pruneArchive(Instant before, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(Sql.PRUNE_ARCHIVED))) {
            st.setObject(1, JobStore.timestamp(before));
            st.setInt(2, limit);
            return st.executeUpdate();
        }
    }

    /** Drops the throughput counts of minutes before {@code before}. */
    public int pruneStats(Instant before) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(Sql.PRUNE_STATS))) {
            st.setObject(1, JobStore.timestamp(before));
            return st.executeUpdate();
        }
    }

    /** Adds a node's outcome counts, in one transaction. */
    public void addStats(String node, List<Counts> counts) throws SQLException {
        if (counts.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(Sql.STATS_ADD))) {
            for (Counts n : counts) {
                st.setObject(1, JobStore.timestamp(n.minute()));
                st.setString(2, n.queue());
                st.setString(3, node);
                st.setInt(4, n.completed());
                st.setInt(5, n.failed());
                st.setInt(6, n.discarded());
                st.setInt(7, n.cancelled());
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    /**
     * @return outcome counts of each of the last {@code minutes} minutes, the current one last, of one queue or (with
     *         {@code null}) of all
     */
    public List<MinuteStats> stats(int minutes, String queue) throws SQLException {
        List<MinuteStats> counts = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(Sql.STATS))) {
            st.setInt(1, minutes);
            st.setString(2, queue);
            st.setString(3, queue);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    counts.add(new MinuteStats(JobStore.instant(rs, 1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5)));
                }
            }
        }
        return counts;
    }
}
