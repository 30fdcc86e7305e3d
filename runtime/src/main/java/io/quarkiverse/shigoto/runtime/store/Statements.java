package io.quarkiverse.shigoto.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.postgresql.PGStatement;

/**
 * How the store prepares statements. The statements shared with Hibernate Reactive's native queries use numbered
 * parameters ({@code ?1}, {@code ?2}), in any order and any number of times; JDBC wants plain {@code ?} bound by
 * position: {@link #prepare} converts and binds them. {@link #plannedFresh} keeps a statement off PostgreSQL's plan
 * cache.
 */
final class Statements {

    private static final Pattern NUMBERED = Pattern.compile("\\?(\\d+)");
    // the statements are a handful of constants: convert each once
    private static final Map<String, Converted> CONVERTED = new ConcurrentHashMap<>();

    /** A statement in JDBC form, with the numbered parameter each position binds. */
    private record Converted(String sql, int[] order) {
    }

    private Statements() {
    }

    /**
     * Prepares a statement with numbered parameters on a JDBC connection, binding {@code values[n - 1]} wherever
     * {@code ?n} appears.
     */
    static PreparedStatement prepare(Connection c, String numbered, Object... values) throws SQLException {
        return prepare(c, false, numbered, values);
    }

    /** {@link #prepare(Connection, String, Object...)}, {@link #plannedFresh planned fresh}. */
    static PreparedStatement prepareFresh(Connection c, String numbered, Object... values) throws SQLException {
        return prepare(c, true, numbered, values);
    }

    private static PreparedStatement prepare(Connection c, boolean fresh, String numbered, Object... values)
            throws SQLException {
        Converted converted = CONVERTED.computeIfAbsent(numbered, Statements::convert);
        PreparedStatement st = c.prepareStatement(converted.sql());
        if (fresh) {
            plannedFresh(st);
        }
        try {
            for (int i = 0; i < converted.order().length; i++) {
                st.setObject(i + 1, values[converted.order()[i] - 1]);
            }
        } catch (SQLException | RuntimeException e) {
            st.close();
            throw e;
        }
        return st;
    }

    /**
     * Has PostgreSQL plan a statement for its parameter values at every execution, never from a cached generic plan.
     * pgjdbc turns a statement executed five times into a server-prepared one, and PostgreSQL then may cache one
     * plan for any values, made with the table statistics of that moment and kept until they change: planned while
     * the job table was near-empty, a statement that finds rows by id reads the whole table on every execution after
     * the table grew (see HotPathPlanTest). The statements that run per job or per batch avoid that with plans pinned
     * in functions (migrations 0001, 0003, 0008); the occasional ones (controls, checks, dependency reads) take the
     * few tens of microseconds of planning instead.
     */
    static PreparedStatement plannedFresh(PreparedStatement st) throws SQLException {
        try {
            st.unwrap(PGStatement.class).setPrepareThreshold(0);
        } catch (SQLException | RuntimeException e) {
            // the caller's try-with-resources only gets the statement from here
            st.close();
            throw e;
        }
        return st;
    }

    private static Converted convert(String numbered) {
        List<Integer> order = new ArrayList<>();
        Matcher m = NUMBERED.matcher(numbered);
        StringBuilder sql = new StringBuilder(numbered.length());
        while (m.find()) {
            order.add(Integer.parseInt(m.group(1)));
            m.appendReplacement(sql, "?");
        }
        m.appendTail(sql);
        return new Converted(sql.toString(), order.stream().mapToInt(Integer::intValue).toArray());
    }
}
