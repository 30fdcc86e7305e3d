package io.quarkiverse.shigoto.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * The statements of key rotation: the jobs whose args, meta or result are encrypted with another key than the
 * primary, read in primary-key order a batch at a time, each batch locked, rewritten and committed on its own.
 * {@code SKIP LOCKED}
 * on both sides: a batch never waits for a claim or a completion, and a claim skips the few rows a batch holds for
 * the milliseconds it takes. Both statements are planned fresh ({@link Statements#plannedFresh}): they run rarely,
 * and a generic plan made on a small table would scan it whole.
 */
public final class EncryptedRows {

    // the next jobs after an id encrypted with another key than the primary (parameter 2), in id order. Each is locked
    // with SKIP LOCKED and its values read under the lock; a job locked by a claim or a completion right now comes
    // back without them (kind null), for the next run. The condition is checked again under the lock, so a job another
    // run re-encrypted meanwhile is left alone
    static final String NEXT = """
            WITH candidates AS (
                SELECT id FROM {schema}.shigoto_jobs
                WHERE id > ?1 AND (args -> '$shigoto_encrypted' ->> 'key' <> ?2
                                   OR meta -> '$shigoto_encrypted' ->> 'key' <> ?2
                                   OR result -> '$shigoto_encrypted' ->> 'key' <> ?2)
                ORDER BY id
                LIMIT ?3
            )
            SELECT c.id, j.kind, j.args::text, j.meta::text, j.result::text
            FROM candidates c
            LEFT JOIN LATERAL (
                SELECT x.kind, x.args, x.meta, x.result FROM {schema}.shigoto_jobs x
                WHERE x.id = c.id AND (x.args -> '$shigoto_encrypted' ->> 'key' <> ?2
                                       OR x.meta -> '$shigoto_encrypted' ->> 'key' <> ?2
                                       OR x.result -> '$shigoto_encrypted' ->> 'key' <> ?2)
                FOR UPDATE SKIP LOCKED
            ) j ON true
            ORDER BY c.id
            """;

    // writes the re-encrypted values of the locked jobs, one primary-key probe each
    static final String REWRITE = """
            UPDATE {schema}.shigoto_jobs j
            SET args = r.args::jsonb, meta = r.meta::jsonb, result = r.result::jsonb
            FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[]) AS r(id, args, meta, result)
            WHERE j.id = r.id
            """;

    /** A job as the batch read it; {@code kind} is {@code null} when it was locked by another transaction. */
    public record Sealed(long id, String kind, String argsJson, String metaJson, String resultJson) {
    }

    /** What becomes of one job of a batch: its new values, or {@code null} to leave it as it is. */
    @FunctionalInterface
    public interface Rewrite {
        /** @return the new args, meta and result, or {@code null} when the job cannot be re-encrypted here */
        String[] apply(Sealed job);
    }

    /** What one batch did. */
    public record Batch(int read, int rewritten, int locked, long lastId) {
    }

    private final DataSource dataSource;
    private final String next;
    private final String rewrite;
    // the same on the archive ({@code prune.mode=archive}), which has the job table's columns
    private final String nextArchived;
    private final String rewriteArchived;

    EncryptedRows(DataSource dataSource, Schema schema) {
        this.dataSource = dataSource;
        this.next = schema.render(NEXT);
        this.rewrite = schema.render(REWRITE);
        this.nextArchived = schema.render(archived(NEXT));
        this.rewriteArchived = schema.render(archived(REWRITE));
    }

    private static String archived(String sql) {
        return sql.replace("{schema}.shigoto_jobs ", "{schema}.shigoto_jobs_archive ")
                .replace("{schema}.shigoto_jobs\n", "{schema}.shigoto_jobs_archive\n");
    }

    /**
     * Re-encrypts one batch in a transaction of its own.
     *
     * @param archive whether to rewrite the archive instead of the job table
     * @param afterId where the batch starts (the previous batch's {@link Batch#lastId()}; 0 at first)
     * @param primary the key every job is to be encrypted with
     * @return what it read and changed; {@code read < limit} means there is nothing after it
     */
    public Batch rewriteNext(boolean archive, long afterId, String primary, int limit, Rewrite rewriteJob)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                Batch batch = rewriteNext(c, archive ? nextArchived : next, archive ? rewriteArchived : rewrite,
                        afterId, primary, limit, rewriteJob);
                c.commit();
                return batch;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private static Batch rewriteNext(Connection c, String next, String rewrite, long afterId, String primary, int limit,
            Rewrite rewriteJob) throws SQLException {
        List<Sealed> jobs = new ArrayList<>(limit);
        try (PreparedStatement st = Statements.prepareFresh(c, next, afterId, primary, limit);
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                jobs.add(new Sealed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)));
            }
        }
        int locked = 0;
        List<Long> ids = new ArrayList<>(jobs.size());
        List<String> args = new ArrayList<>(jobs.size());
        List<String> meta = new ArrayList<>(jobs.size());
        List<String> results = new ArrayList<>(jobs.size());
        for (Sealed job : jobs) {
            if (job.kind() == null) {
                locked++;
                continue;
            }
            String[] values = rewriteJob.apply(job);
            if (values != null) {
                ids.add(job.id());
                args.add(values[0]);
                meta.add(values[1]);
                results.add(values[2]);
            }
        }
        if (!ids.isEmpty()) {
            try (PreparedStatement st = Statements.plannedFresh(c.prepareStatement(rewrite))) {
                st.setArray(1, PgArrays.bigints(c, ids.stream().mapToLong(Long::longValue).toArray()));
                st.setArray(2, c.createArrayOf("text", args.toArray()));
                st.setArray(3, c.createArrayOf("text", meta.toArray()));
                st.setArray(4, c.createArrayOf("text", results.toArray()));
                st.executeUpdate();
            }
        }
        long lastId = jobs.isEmpty() ? afterId : jobs.get(jobs.size() - 1).id();
        return new Batch(jobs.size(), ids.size(), locked, lastId);
    }
}
