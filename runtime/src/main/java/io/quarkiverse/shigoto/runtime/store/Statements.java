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

/**
 * The statements shared with Hibernate Reactive's native queries use numbered parameters ({@code ?1}, {@code ?2}),
 * in any order and any number of times; JDBC wants plain {@code ?} bound by position. This prepares such a statement
 * for JDBC and binds each position from the numbered values.
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
        Converted converted = CONVERTED.computeIfAbsent(numbered, Statements::convert);
        PreparedStatement st = c.prepareStatement(converted.sql());
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
