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
 * finished jobs and the per-minute outcome counts of the throughput chart (the tables of migration 0004). Over 300
 * lines: a third of it is its statements, kept beside the code that binds them.
 */
public final class MaintenanceStore {

    // how many jobs are executing on the given nodes, counting up to a cap
    static final String EXECUTING_ON = """
            SELECT count(*) FROM (
                SELECT 1 FROM {schema}.shigoto_jobs
                WHERE state = 'executing' AND attempted_by = ANY(?::text[])
                LIMIT ?
            ) capped
            """;

    // the current leader, if its lease has not expired
    private static final String LEADER = """
            SELECT node, elected_at, expires_at FROM {schema}.shigoto_leader
            WHERE name = 'leader' AND expires_at >= clock_timestamp()
            """;

    // takes the leadership lease if it is free or expired, or renews it for its holder; answers a row only to the
    // node that holds the lease afterwards. ON CONFLICT locks the row and re-checks the condition on its newest
    // version, so two nodes taking an expired lease at once cannot both win. Expiry is on the database's clock
    private static final String LEADER_ACQUIRE = """
            INSERT INTO {schema}.shigoto_leader AS l (name, node, elected_at, expires_at)
            VALUES ('leader', ?, clock_timestamp(), clock_timestamp() + ? * interval '1 millisecond')
            ON CONFLICT (name) DO UPDATE
            SET node = excluded.node,
                elected_at = CASE WHEN l.node = excluded.node THEN l.elected_at ELSE excluded.elected_at END,
                expires_at = excluded.expires_at
            WHERE l.node = excluded.node OR l.expires_at < clock_timestamp()
            RETURNING elected_at
            """;

    // a stopping leader gives the lease up so another node takes it at its next attempt, not after expiry
    private static final String LEADER_RELEASE = """
            DELETE FROM {schema}.shigoto_leader WHERE name = 'leader' AND node = ?
            """;

    // executing jobs of a lost node, after an id cursor, as the claim answered them, for the rescuer
    static final String LOST_JOBS = SharedSql.CLAIMED_COLUMNS + """
            FROM {schema}.shigoto_jobs
            WHERE state = 'executing' AND attempted_by = ? AND id > ?
            ORDER BY id
            LIMIT ?
            """;

    // the nodes that hold executing jobs but have not heartbeat for ? ms (database clock), or left the node table. A
    // loose scan of the executing index: one probe per distinct node, however many executing jobs (or dead index
    // entries) each has
    static final String LOST_NODES = """
            WITH RECURSIVE running(node) AS (
                (SELECT attempted_by FROM {schema}.shigoto_jobs
                 WHERE state = 'executing' AND attempted_by IS NOT NULL
                 ORDER BY attempted_by LIMIT 1)
                UNION ALL
                SELECT (SELECT j.attempted_by FROM {schema}.shigoto_jobs j
                        WHERE j.state = 'executing' AND j.attempted_by IS NOT NULL AND j.attempted_by > r.node
                        ORDER BY j.attempted_by LIMIT 1)
                FROM running r WHERE r.node IS NOT NULL
            )
            SELECT r.node, n.heartbeat_at FROM running r
                LEFT JOIN {schema}.shigoto_nodes n ON n.id = r.node
            WHERE r.node IS NOT NULL
              AND (n.id IS NULL OR n.heartbeat_at < clock_timestamp() - ? * interval '1 millisecond')
            """;

    // forgets the nodes silent for longer than ? ms that hold no executing job any more (the rescuer handed theirs
    // over), so restarts under fresh node ids do not pile up rows; one probe of the executing index per silent node
    static final String NODES_FORGET = """
            DELETE FROM {schema}.shigoto_nodes n
            WHERE n.heartbeat_at < clock_timestamp() - ? * interval '1 millisecond'
              AND NOT EXISTS (SELECT 1 FROM {schema}.shigoto_jobs j
                              WHERE j.state = 'executing' AND j.attempted_by = n.id)
            """;

    // how many jobs execute on nodes other than the given lost ones past their kind's timeout plus a grace (the
    // kinds and timeouts this node knows; other kinds are not counted), up to a cap: attempts no node runs any more.
    // Reads the executing index only
    static final String OVERDUE = """
            SELECT count(*) FROM (
                SELECT 1 FROM {schema}.shigoto_jobs j
                JOIN unnest(?::text[], ?::bigint[]) AS t(kind, timeout_ms) ON t.kind = j.kind
                WHERE j.state = 'executing' AND j.attempted_by IS NOT NULL AND NOT j.attempted_by = ANY(?::text[])
                  AND j.attempted_at < clock_timestamp() - (t.timeout_ms + ?) * interval '1 millisecond'
                LIMIT ?
            ) capped
            """;

    // the part PRUNE and PRUNE_ARCHIVE share: deletes up to ? of the oldest jobs of one finished state that finished
    // before ?, with their dependency edges both ways. A job some pending job still waits on is kept until that one is decided (by the
    // completion that finished it, or the pending sweep), so its verdict sees the real state, not a missing row.
    // SKIP LOCKED: never waits on a row a dashboard action holds. The literal state list repeats the predicate of the
    // finished-jobs index: the bound state reaches the planner as a text cast to the enum by a stable function it
    // cannot fold, so it cannot prove that index applies and, without the list, scans and sorts the whole table for
    // every batch (measured: 0.8 s per batch of 1,000 at a million rows, against under 1 ms through the index)
    private static final String PRUNABLE = """
            WITH old AS (
                SELECT o.id FROM {schema}.shigoto_jobs o
                WHERE o.state = ?::{schema}.shigoto_job_state AND o.finished_at < ?
                  AND o.state IN ('completed', 'discarded', 'cancelled')
                  AND NOT EXISTS (SELECT 1 FROM {schema}.shigoto_job_deps d
                                      JOIN {schema}.shigoto_jobs w ON w.id = d.job_id
                                  WHERE d.depends_on = o.id AND w.state = 'pending')
                ORDER BY o.finished_at
                LIMIT ?
                FOR UPDATE SKIP LOCKED
            ), gone AS (
                DELETE FROM {schema}.shigoto_jobs j USING old WHERE j.id = old.id
                RETURNING j.*
            ), edges AS (
                DELETE FROM {schema}.shigoto_job_deps d USING gone WHERE d.job_id = gone.id
            ), satisfied AS (
                DELETE FROM {schema}.shigoto_job_deps d USING gone WHERE d.depends_on = gone.id
            )""";

    // PRUNABLE, answering the pruned jobs' ids
    static final String PRUNE = PRUNABLE + """

            SELECT id FROM gone
            """;

    // as PRUNE (and with its state list, for the same reason), but moves the jobs into the archive table. The
    // archive's columns are named: it got each job column of a later migration after its archived_at
    static final String PRUNE_ARCHIVE = PRUNABLE + """
            , archived AS (
                INSERT INTO {schema}.shigoto_jobs_archive (id, state, kind, queue, priority, args, meta, tags, attempt,
                                                           max_attempts, errors, result, progress, partition_key,
                                                           inserted_at, scheduled_at, attempted_at, attempted_by,
                                                           finished_at, attempt_base, unique_key, unique_options,
                                                           limit_key, batch_id, broadcast_id, broadcast_node,
                                                           broadcast_round, archived_at)
                SELECT gone.*, ? FROM gone
                ON CONFLICT (id) DO NOTHING
            )
            SELECT id FROM gone
            """;

    // deletes up to ? of the oldest archived jobs archived before ?, read through the archive's archived_at index
    // (migration 0006); SKIP LOCKED like the other pruning batches
    private static final String PRUNE_ARCHIVED = """
            DELETE FROM {schema}.shigoto_jobs_archive a
            WHERE a.id IN (SELECT o.id FROM {schema}.shigoto_jobs_archive o WHERE o.archived_at < ?
                           ORDER BY o.archived_at LIMIT ? FOR UPDATE SKIP LOCKED)
            """;

    // deletes up to ? of the batches (and workflows) that finished before ?, oldest first, through their finish index
    // (migration 0011); a member retried after its batch finished only finds no batch to count into
    private static final String PRUNE_BATCHES = """
            DELETE FROM {schema}.shigoto_batches b
            WHERE b.id IN (SELECT o.id FROM {schema}.shigoto_batches o WHERE o.finished_at < ?
                           ORDER BY o.finished_at LIMIT ? FOR UPDATE SKIP LOCKED)
            """;

    // drops throughput counts older than ?
    private static final String PRUNE_STATS = """
            DELETE FROM {schema}.shigoto_stats WHERE minute < ?
            """;

    // outcome counts of each of the last ? minutes up to the current one (database clock), summed over nodes and
    // queues (one queue when ? is not null); a minute without counts answers zeros
    private static final String STATS = """
            SELECT m.minute, coalesce(sum(s.completed), 0), coalesce(sum(s.failed), 0), coalesce(sum(s.discarded), 0),
                   coalesce(sum(s.cancelled), 0)
            FROM generate_series(date_trunc('minute', clock_timestamp()) - (? - 1) * interval '1 minute',
                                 date_trunc('minute', clock_timestamp()), interval '1 minute') AS m(minute)
                LEFT JOIN {schema}.shigoto_stats s ON s.minute = m.minute AND (?::text IS NULL OR s.queue = ?)
            GROUP BY m.minute
            ORDER BY m.minute
            """;

    // adds one node's outcome counts of one minute and queue
    private static final String STATS_ADD = """
            INSERT INTO {schema}.shigoto_stats AS s (minute, queue, node, completed, failed, discarded, cancelled)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (minute, queue, node) DO UPDATE
            SET completed = s.completed + excluded.completed, failed = s.failed + excluded.failed,
                discarded = s.discarded + excluded.discarded, cancelled = s.cancelled + excluded.cancelled
            """;

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
                PreparedStatement st = c.prepareStatement(schema.render(LEADER_ACQUIRE))) {
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
                PreparedStatement st = c.prepareStatement(schema.render(LEADER_RELEASE))) {
            st.setString(1, node);
            st.executeUpdate();
        }
    }

    /** @return the leader whose lease has not expired, if any */
    public Optional<Leader> leader() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(LEADER));
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
                PreparedStatement st = c.prepareStatement(schema.render(LOST_NODES))) {
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
                PreparedStatement st = c.prepareStatement(schema.render(LOST_JOBS))) {
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
                PreparedStatement st = c.prepareStatement(schema.render(NODES_FORGET))) {
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
                PreparedStatement st = c.prepareStatement(schema.render(EXECUTING_ON))) {
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
                PreparedStatement st = c.prepareStatement(schema.render(OVERDUE))) {
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
                PreparedStatement st = c.prepareStatement(schema.render(archive ? PRUNE_ARCHIVE : PRUNE))) {
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
                PreparedStatement st = c.prepareStatement(schema.render(PRUNE_ARCHIVED))) {
            st.setObject(1, JobStore.timestamp(before));
            st.setInt(2, limit);
            return st.executeUpdate();
        }
    }

    /**
     * Deletes up to {@code limit} of the batches that finished before {@code before}, oldest first.
     *
     * @return how many were deleted
     */
    public int pruneBatches(Instant before, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(PRUNE_BATCHES))) {
            st.setObject(1, JobStore.timestamp(before));
            st.setInt(2, limit);
            return st.executeUpdate();
        }
    }

    /** Drops the throughput counts of minutes before {@code before}. */
    public int pruneStats(Instant before) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(PRUNE_STATS))) {
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
                PreparedStatement st = c.prepareStatement(schema.render(STATS_ADD))) {
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
                PreparedStatement st = c.prepareStatement(schema.render(STATS))) {
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
