package io.quarkiverse.shigoto.runtime.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import io.quarkiverse.shigoto.BatchState;
import io.quarkiverse.shigoto.BatchView;
import io.quarkiverse.shigoto.JobState;

/**
 * The batches table (migration 0010): creating a batch, adding members to an open one, sealing, reading one back.
 * Members' outcomes are counted by the database itself, in the transactions that change them (see the migration).
 */
public final class BatchStore {

    static final String ADD_MEMBERS = """
            UPDATE {schema}.shigoto_batches SET total = total + ? WHERE id = ?
            """;

    // a new batch, open until its members are stored; the callbacks as resolved jobs (see 0010)
    static final String CREATE = """
            INSERT INTO {schema}.shigoto_batches (name, meta, callbacks, inserted_at)
            VALUES (?, ?::jsonb, ?::jsonb, ?)
            RETURNING id
            """;

    // locks an open batch against a concurrent seal while members join it; answers nothing for a missing batch
    static final String LOCK = """
            SELECT sealed FROM {schema}.shigoto_batches WHERE id = ? FOR UPDATE
            """;

    // the batch with its members that have not finished, by state, with their progress summed, in one statement
    // so that both are one snapshot (a member finishing in between is either unfinished or counted, never both);
    // the batch index holds exactly these members (finished ones are counted in the batch row)
    static final String READ = """
            SELECT b.id, b.name, b.meta::text, b.sealed, b.total, b.completed, b.discarded, b.cancelled, b.deleted,
                   b.callbacks::text, b.callback_ids, b.inserted_at, b.finished_at, m.states, m.counts, m.progress
            FROM {schema}.shigoto_batches b
            LEFT JOIN LATERAL (
                SELECT array_agg(s.state) AS states, array_agg(s.n) AS counts, sum(s.progress) AS progress
                FROM (SELECT j.state::text AS state, count(*)::integer AS n, sum(coalesce(j.progress, 0)) AS progress
                      FROM {schema}.shigoto_jobs j
                      WHERE j.batch_id = b.id AND j.state NOT IN ('completed', 'discarded', 'cancelled')
                      GROUP BY j.state) s
            ) m ON true
            WHERE b.id = ?
            """;

    static final String SEAL = """
            SELECT {schema}.shigoto_batch_seal(?, ?, ?)
            """;

    private final DataSource dataSource;
    private final Schema schema;
    private final String create;
    private final String lock;
    private final String addMembers;
    private final String seal;
    private final String read;

    BatchStore(DataSource dataSource, Schema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.create = schema.render(CREATE);
        this.lock = schema.render(LOCK);
        this.addMembers = schema.render(ADD_MEMBERS);
        this.seal = schema.render(SEAL);
        this.read = schema.render(READ);
    }

    /**
     * Stores a new, open batch on the caller's connection.
     *
     * @param callbacksJson the callbacks as resolved jobs, see {@link #callbackRow}
     * @return its id
     */
    public long create(Connection c, String name, String metaJson, String callbacksJson, Instant now)
            throws SQLException {
        try (PreparedStatement st = c.prepareStatement(create)) {
            st.setString(1, name);
            st.setString(2, metaJson);
            st.setString(3, callbacksJson);
            st.setObject(4, JobStore.timestamp(now));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Locks a batch for new members, in the caller's transaction.
     *
     * @return empty when no batch has that id, else whether it is sealed
     */
    public Optional<Boolean> lockSealed(Connection c, long id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(lock)) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBoolean(1)) : Optional.empty();
            }
        }
    }

    /** Counts new members into a batch, in the transaction that stored them. */
    public void addMembers(Connection c, long id, int count) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(addMembers)) {
            st.setInt(1, count);
            st.setLong(2, id);
            st.executeUpdate();
        }
    }

    /**
     * Seals a batch, finishing it at once when every member is over (its callbacks then wake their queues at commit).
     *
     * @return whether it was open
     */
    public boolean seal(Connection c, long id, Instant now) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(seal)) {
            st.setLong(1, id);
            st.setObject(2, JobStore.timestamp(now));
            st.setString(3, schema.insertChannel());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** @return the batch, or empty */
    public Optional<BatchView> batch(long id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return batch(c, id);
        }
    }

    /** @return the batch as the caller's connection sees it, or empty */
    public Optional<BatchView> batch(Connection c, long id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(read)) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<JobState, Integer> byState = new EnumMap<>(JobState.class);
                Array states = rs.getArray(14);
                if (states != null) {
                    String[] names = (String[]) states.getArray();
                    Integer[] counts = (Integer[]) rs.getArray(15).getArray();
                    for (int i = 0; i < names.length; i++) {
                        byState.put(JobState.fromDb(names[i]), counts[i]);
                    }
                }
                long progressSum = rs.getLong(16);
                boolean sealed = rs.getBoolean(4);
                int total = rs.getInt(5), completed = rs.getInt(6), discarded = rs.getInt(7),
                        cancelled = rs.getInt(8), deleted = rs.getInt(9);
                Instant finishedAt = JobStore.instant(rs, 13);
                Array ids = rs.getArray(11);
                Long[] callbackIds = ids == null ? new Long[0] : (Long[]) ids.getArray();
                Arrays.sort(callbackIds);
                List<BatchView.Callback> callbacks = callbacks(JsonCodec.readList(rs.getString(10)), callbackIds,
                        finishedAt != null, completed, discarded, cancelled, deleted);
                BatchState state = finishedAt != null ? BatchState.FINISHED
                        : sealed ? BatchState.RUNNING : BatchState.OPEN;
                // finished members from the counters (also those pruned since); one deleted before it finished
                // counts as finished for the progress
                putCount(byState, JobState.COMPLETED, completed);
                putCount(byState, JobState.DISCARDED, discarded);
                putCount(byState, JobState.CANCELLED, cancelled);
                int done = completed + discarded + cancelled + deleted;
                int progress = total == 0 ? (finishedAt != null ? 100 : 0)
                        : (int) Math.min(100, (progressSum + 100L * done) / total);
                return Optional.of(new BatchView(rs.getLong(1), rs.getString(2),
                        state, total, completed, discarded, cancelled, deleted, Map.copyOf(byState), progress,
                        callbacks, JsonCodec.readObjectOrEmpty(rs.getString(3)), JobStore.instant(rs, 12), finishedAt));
            }
        }
    }

    private static void putCount(Map<JobState, Integer> byState, JobState state, int count) {
        if (count > 0) {
            byState.put(state, count);
        }
    }

    /**
     * The callbacks, each with the job the batch's finish inserted for it: the finish inserts the due ones in their
     * stored order, in one statement, so their ids ascend in that order.
     */
    static List<BatchView.Callback> callbacks(List<Object> stored, Long[] ids, boolean finished, int completed,
            int discarded, int cancelled, int deleted) {
        List<BatchView.Callback> out = new ArrayList<>(stored.size());
        int next = 0;
        for (Object o : stored) {
            @SuppressWarnings("unchecked")
            Map<String, Object> cb = (Map<String, Object>) o;
            String on = String.valueOf(cb.get("on"));
            boolean due = finished && switch (on) {
                case "completed" -> discarded == 0 && cancelled == 0 && deleted == 0;
                case "discarded" -> discarded > 0;
                case "cancelled" -> cancelled + deleted > 0;
                default -> true;
            };
            Long jobId = due && next < ids.length ? ids[next++] : null;
            out.add(new BatchView.Callback(on, String.valueOf(cb.get("kind")), String.valueOf(cb.get("queue")),
                    jobId));
        }
        return out;
    }

    /**
     * @param on the outcome the callback waits for
     * @param job the callback, resolved like any insert
     * @return the callback as the batches table keeps it (see 0010)
     */
    public static Map<String, Object> callbackRow(String on, NewJob job) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("on", on);
        row.put("kind", job.kind());
        row.put("queue", job.queue());
        row.put("priority", job.priority());
        row.put("max_attempts", job.maxAttempts());
        row.put("args", new RawJson(job.argsJson()));
        row.put("meta", new RawJson(job.metaJson()));
        row.put("tags", job.tags());
        row.put("limit_key", job.limitKey());
        return row;
    }
}
