package io.quarkiverse.shigoto.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.quarkiverse.shigoto.JobState;

/**
 * The dashboard's reads. Counting a big table on every page view would cost seconds at a million rows, so counts
 * are exact only while the table is small and come from the planner's statistics beyond that.
 */
public final class DashboardReads {

    /** Up to this many rows (by the planner's estimate) the overview counts exactly. */
    static final long EXACT_UP_TO = 100_000;

    private final DataSource dataSource;
    private final Schema schema;

    DashboardReads(DataSource dataSource, Schema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    /** @return a count for every state, in state order: exact while the table is small, else estimated */
    public List<StateCount> stateCounts() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long rows = single(c, Sql.TABLE_ESTIMATE, schema.name() + ".shigoto_jobs");
            return counts(c, rows > EXACT_UP_TO);
        }
    }

    /** @return the planner's estimate for every state (what {@link #stateCounts()} answers for a big table) */
    public List<StateCount> estimatedStateCounts() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return counts(c, true);
        }
    }

    private List<StateCount> counts(Connection c, boolean estimated) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        String sql = estimated ? Sql.STATE_ESTIMATES : schema.render(Sql.STATE_COUNTS);
        try (PreparedStatement st = c.prepareStatement(sql)) {
            if (estimated) {
                st.setString(1, schema.name() + ".shigoto_jobs");
                st.setString(2, schema.name());
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        List<StateCount> all = new ArrayList<>();
        for (JobState s : JobState.values()) {
            all.add(new StateCount(s.dbName(), counts.getOrDefault(s.dbName(), 0L), estimated));
        }
        return all;
    }

    private static long single(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, param);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
