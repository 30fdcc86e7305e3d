package io.quarkiverse.shigoto.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * The claims of fair queues and of rate- or concurrency-limited kinds, and the startup reconciliation of limit keys.
 * The plain claim stays in {@link JobStore}; both map rows the same way.
 */
public final class JobClaims {

    // claims up to ? jobs of a fair queue, round-robin across partition keys starting after the last one served (the
    // last parameter); SKIP LOCKED. The work is in shigoto_claim_fair (migration 0003)
    private static final String CLAIM_FAIR = SharedSql.CLAIMED_COLUMNS + """
            FROM {schema}.shigoto_claim_fair(?, ?, ?, ?, ?)
            """;

    // claims the limited jobs that fit their kinds' limits, then fills the rest plainly or fairly; SKIP LOCKED, plus
    // a transaction-scoped advisory lock per limited kind so two nodes never both see the same room. A row without a
    // job says when a full rate window frees. The work is in shigoto_claim_limited (migration 0003)
    private static final String CLAIM_LIMITED = """
            SELECT (c.job).id, (c.job).kind, (c.job).queue, (c.job).priority, (c.job).args::text, (c.job).meta::text,
                   (c.job).tags, (c.job).attempt,
                   least((c.job).attempt_base::bigint + (c.job).max_attempts, 2147483647)::int, (c.job).partition_key,
                   (date_part('epoch', (c.job).inserted_at) * 1000000)::bigint,
                   (date_part('epoch', (c.job).scheduled_at) * 1000000)::bigint,
                   (date_part('epoch', (c.job).attempted_at) * 1000000)::bigint, c.retry_at
            FROM {schema}.shigoto_claim_limited(?, ?, ?, ?, ?, ?::text[], ?::int[], ?::int[], ?::bigint[], ?, ?) c
            """;

    // startup: gives waiting jobs of the kinds that are limited now (parameter 1) their limit key, so jobs inserted
    // before a kind became limited obey the limit too; reads only the backlog indexes (fetch and due). Row locks:
    // run under the reconcile advisory lock so starting nodes do not deadlock on each other
    private static final String RECONCILE_LIMITED = """
            UPDATE {schema}.shigoto_jobs SET limit_key = kind
            WHERE limit_key IS NULL AND kind = ANY (?::text[])
              AND (state = 'available' OR state IN ('scheduled', 'retryable'))
            """;

    // serialises the startup reconciliation of limit keys across nodes; released at commit
    private static final String RECONCILE_LOCK = """
            SELECT pg_advisory_xact_lock(1936287590, hashtext(?))
            """;

    // startup: takes the limit key off waiting jobs of kinds no longer limited (parameter 1), through the index of
    // limited rows; same lock as RECONCILE_LIMITED. A broadcast queue's deliveries keep theirs ('$broadcast', which
    // keeps them out of the plain claim's index: migration 0014)
    private static final String RECONCILE_UNLIMITED = """
            UPDATE {schema}.shigoto_jobs SET limit_key = NULL
            WHERE limit_key IS NOT NULL AND limit_key <> ALL (?::text[]) AND broadcast_node IS NULL
              AND state IN ('available', 'scheduled', 'retryable', 'pending')
            """;

    private final DataSource dataSource;
    private final Schema schema;
    private final String claimFair;
    private final String claimLimited;

    JobClaims(DataSource dataSource, Schema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.claimFair = schema.render(CLAIM_FAIR);
        this.claimLimited = schema.render(CLAIM_LIMITED);
    }

    /**
     * Claims up to {@code limit} jobs of a fair queue: round-robin across partition keys, starting after
     * {@code afterPartition} (the partition the previous claim served last; {@code null} for the first), then jobs
     * without a partition key with the room left.
     *
     * @return the claimed jobs in round-robin order
     */
    public List<ClaimedJob> claimFair(String queue, int limit, String node, Instant now, String afterPartition)
            throws SQLException {
        List<ClaimedJob> jobs = new ArrayList<>(limit);
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(claimFair)) {
            st.setString(1, queue);
            st.setInt(2, limit);
            st.setObject(3, JobStore.timestamp(now));
            st.setString(4, node);
            st.setString(5, afterPartition);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    jobs.add(JobStore.claimed(rs));
                }
            }
        }
        return jobs;
    }

    /**
     * Claims the limited jobs of a queue that fit their kinds' limits (at most {@code limitedRoom}), then fills the
     * rest of {@code limit} with the plain claim, or the fair one when {@code fair}.
     *
     * @return the claimed jobs (limited ones first; the rest in claim order, or round-robin when fair) and when a full
     *         rate window frees
     */
    public Claim claimLimited(String queue, int limit, String node, Instant now, int limitedRoom,
            List<KindLimit> limits, boolean fair, String afterPartition) throws SQLException {
        int n = limits.size();
        String[] kinds = new String[n];
        Integer[] concurrency = new Integer[n], rate = new Integer[n];
        Long[] perMillis = new Long[n];
        for (int i = 0; i < n; i++) {
            KindLimit l = limits.get(i);
            kinds[i] = l.kind();
            concurrency[i] = l.concurrency();
            rate[i] = l.rateLimit();
            perMillis[i] = l.perMillis();
        }
        List<ClaimedJob> limited = new ArrayList<>();
        List<ClaimedJob> rest = new ArrayList<>(limit);
        Instant retryAt = null;
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(claimLimited)) {
            st.setString(1, queue);
            st.setInt(2, limit);
            st.setObject(3, JobStore.timestamp(now));
            st.setString(4, node);
            st.setInt(5, limitedRoom);
            st.setArray(6, c.createArrayOf("text", kinds));
            st.setArray(7, c.createArrayOf("int4", concurrency));
            st.setArray(8, c.createArrayOf("int4", rate));
            st.setArray(9, c.createArrayOf("int8", perMillis));
            st.setBoolean(10, fair);
            st.setString(11, afterPartition);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    Instant retry = JobStore.instant(rs, 14);
                    if (retry != null) {
                        retryAt = retryAt == null || retry.isBefore(retryAt) ? retry : retryAt;
                        continue;
                    }
                    ClaimedJob job = JobStore.claimed(rs);
                    (isLimited(job, limits) ? limited : rest).add(job);
                }
            }
        }
        if (!fair) {
            rest.sort(JobStore.CLAIM_ORDER);
        }
        limited.addAll(rest);
        return new Claim(limited, retryAt);
    }

    private static boolean isLimited(ClaimedJob job, List<KindLimit> limits) {
        for (KindLimit l : limits) {
            if (l.kind().equals(job.kind())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Gives the waiting jobs of the kinds limited now their limit key and takes it off those of kinds no longer
     * limited, so a kind's limits hold for jobs inserted before it got them and no job waits for a limited claim
     * that will never come. Nodes starting together take turns (an advisory lock).
     *
     * @return how many jobs changed
     */
    public int reconcileLimits(List<KindLimit> limits) throws SQLException {
        String[] kinds = limits.stream().map(KindLimit::kind).toArray(String[]::new);
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try (PreparedStatement lock = c.prepareStatement(RECONCILE_LOCK);
                    PreparedStatement limited = c.prepareStatement(schema.render(RECONCILE_LIMITED));
                    PreparedStatement unlimited = c.prepareStatement(schema.render(RECONCILE_UNLIMITED));
                    Statement settings = c.createStatement()) {
                lock.setString(1, schema.name());
                lock.execute();
                // both statements must read the partial indexes of waiting jobs, never the whole table (history
                // included); stale statistics could make a sequential scan look cheaper
                settings.execute("SET LOCAL enable_seqscan = off");
                int changed = 0;
                if (kinds.length > 0) {
                    limited.setArray(1, c.createArrayOf("text", kinds));
                    changed += limited.executeUpdate();
                }
                unlimited.setArray(1, c.createArrayOf("text", kinds));
                changed += unlimited.executeUpdate();
                c.commit();
                return changed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }
}
