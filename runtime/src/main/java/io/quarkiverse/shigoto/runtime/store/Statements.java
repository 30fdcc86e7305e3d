package io.quarkiverse.shigoto.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statements shared with Hibernate Reactive's native queries use numbered parameters ({@code ?1}, {@code ?2}),
 * in any order and any number of times; JDBC wants plain {@code ?} bound by position. This prepares such a statement
 * for JDBC and binds each position from the numbered values.
 */
final class Statements {

    private static final Pattern NUMBERED = Pattern.compile("\\?(\\d+)");

    private Statements() {
    }

    /**
     * Prepares a statement with numbered parameters on a JDBC connection, binding {@code values[n - 1]} wherever
     * {@code ?n} appears.
     */
    static PreparedStatement prepare(Connection c, String numbered, Object... values) throws SQLException {
        List<Integer> order = new ArrayList<>();
        Matcher m = NUMBERED.matcher(numbered);
        StringBuilder sql = new StringBuilder(numbered.length());
        while (m.find()) {
            order.add(Integer.parseInt(m.group(1)));
            m.appendReplacement(sql, "?");
        }
        m.appendTail(sql);
        PreparedStatement st = c.prepareStatement(sql.toString());
        try {
            for (int i = 0; i < order.size(); i++) {
                st.setObject(i + 1, values[order.get(i) - 1]);
            }
        } catch (SQLException | RuntimeException e) {
            st.close();
            throw e;
        }
        return st;
    }
}
