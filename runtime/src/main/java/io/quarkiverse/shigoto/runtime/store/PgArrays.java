package io.quarkiverse.shigoto.runtime.store;

import java.util.List;

/**
 * Writes PostgreSQL array literals, for passing a {@code text[]} per row through one {@code text[]} parameter of a
 * bulk insert (unnest cannot take an array of arrays of different lengths).
 */
final class PgArrays {

    private PgArrays() {
    }

    static String literal(List<String> values) {
        return append(new StringBuilder(2 + values.size() * 8), values).toString();
    }

    /** @return {@code out} with the literal appended */
    static StringBuilder append(StringBuilder out, List<String> values) {
        StringBuilder sb = out.append('{');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"');
            String v = values.get(i);
            for (int c = 0; c < v.length(); c++) {
                char ch = v.charAt(c);
                if (ch == '"' || ch == '\\') {
                    sb.append('\\');
                }
                sb.append(ch);
            }
            sb.append('"');
        }
        return sb.append('}');
    }

    /** @return the ids as a {@code bigint[]} value for a statement */
    static java.sql.Array bigints(java.sql.Connection c, long[] ids) throws java.sql.SQLException {
        Long[] boxed = new Long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            boxed[i] = ids[i];
        }
        return c.createArrayOf("int8", boxed);
    }
}
