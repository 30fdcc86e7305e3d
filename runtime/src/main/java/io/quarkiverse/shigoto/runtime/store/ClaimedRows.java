package io.quarkiverse.shigoto.runtime.store;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Maps the rows of a claim (and of a rescue). A claim has marked its rows executing before they arrive here, so
 * nothing a row holds may make the mapping throw: a column no release writes (a NULL or a nested array among the
 * tags, meta that is not a JSON object, an attempt beyond the job's budget) becomes the job's
 * {@link ClaimedJob#problem()}, naming the column and its value, and the executor fails that job alone. The checks
 * are a few comparisons per row: no parsing, no query.
 */
final class ClaimedRows {

    private static final int SHOWN = 80;

    private ClaimedRows() {
    }

    /** Maps the current row of the shared claimed-job column list (CLAIM, CLAIM_FAIR, CLAIM_LIMITED, LOST_JOBS). */
    static ClaimedJob map(ResultSet rs) throws SQLException {
        // NOT NULL integers, readable whatever the rest holds: all the guarded outcome path needs
        long id = rs.getLong(1);
        int attempt = rs.getInt(8);
        String kind = "", queue = "", args = "{}", meta = "{}", partitionKey = null;
        int priority = 0, maxAttempts = attempt;
        List<String> tags = List.of();
        Instant insertedAt = Instant.EPOCH, scheduledAt = Instant.EPOCH, attemptedAt = Instant.EPOCH;
        String problem;
        try {
            kind = rs.getString(2);
            queue = rs.getString(3);
            priority = rs.getInt(4);
            args = rs.getString(5);
            meta = rs.getString(6);
            maxAttempts = rs.getInt(9);
            partitionKey = rs.getString(10);
            insertedAt = orEpoch(micros(rs, 11));
            scheduledAt = orEpoch(micros(rs, 12));
            attemptedAt = orEpoch(micros(rs, 13));
            Array tagArray = rs.getArray(7);
            List<String> read = new ArrayList<>();
            problem = tags(tagArray, read);
            if (problem == null) {
                tags = Collections.unmodifiableList(read);
                problem = check(attempt, maxAttempts, meta);
            }
        } catch (SQLException | RuntimeException e) {
            problem = "the row cannot be read: " + e;
        }
        return new ClaimedJob(id, kind, queue, priority, args, meta, tags, attempt, maxAttempts, partitionKey,
                insertedAt, scheduledAt, attemptedAt, problem);
    }

    /** Reads a timestamp the claim sent as microseconds since the epoch. */
    static Instant micros(ResultSet rs, int column) throws SQLException {
        long micros = rs.getLong(column);
        return rs.wasNull() ? null
                : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /** @return the problem of the tags array, or {@code null} when {@code into} got its elements */
    private static String tags(Array array, List<String> into) throws SQLException {
        if (array == null) {
            return null;
        }
        for (Object v : (Object[]) array.getArray()) {
            if (!(v instanceof String tag)) {
                return "column tags holds " + (v == null ? "a NULL element" : "a nested array") + ": "
                        + shown(array.toString());
            }
            into.add(tag);
        }
        return null;
    }

    private static String check(int attempt, int maxAttempts, String meta) {
        if (meta == null || !meta.startsWith("{")) {
            return "column meta holds " + shown(meta) + ", not a JSON object";
        }
        if (attempt > maxAttempts) {
            // no release claims past the budget (the last failure discards), and a retry by hand raises the budget
            return "column attempt holds " + attempt + ", beyond the job's " + maxAttempts
                    + " attempts (attempt_base + max_attempts)";
        }
        return null;
    }

    private static Instant orEpoch(Instant instant) {
        return instant == null ? Instant.EPOCH : instant;
    }

    private static String shown(String value) {
        if (value == null) {
            return "SQL NULL";
        }
        return value.length() > SHOWN ? value.substring(0, SHOWN) + "..." : value;
    }
}
