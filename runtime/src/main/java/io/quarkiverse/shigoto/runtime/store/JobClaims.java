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

    private final DataSource dataSource;
    private final Schema schema;
    private final String claimFair;
    private final String claimLimited;

    JobClaims(DataSource dataSource, Schema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.claimFair = schema.render(Sql.CLAIM_FAIR);
        this.claimLimited = schema.render(Sql.CLAIM_LIMITED);
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
            try (PreparedStatement lock = c.prepareStatement(Sql.RECONCILE_LOCK);
                    PreparedStatement limited = c.prepareStatement(schema.render(Sql.RECONCILE_LIMITED));
                    PreparedStatement unlimited = c.prepareStatement(schema.render(Sql.RECONCILE_UNLIMITED));
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
