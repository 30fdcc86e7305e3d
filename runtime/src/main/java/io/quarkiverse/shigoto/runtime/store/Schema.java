package io.quarkiverse.shigoto.runtime.store;

import java.util.regex.Pattern;

/**
 * The validated schema name, the only configured text ever substituted into SQL.
 */
public final class Schema {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final String name;

    private Schema(String name) {
        this.name = name;
    }

    /**
     * @param name a schema name: lower-case letters, digits and underscores, at most 63 characters
     * @return the schema
     * @throws IllegalArgumentException when the name could not be used safely in SQL
     */
    public static Schema of(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("quarkus.shigoto.schema '" + name
                    + "' is not a plain PostgreSQL identifier: use lower-case letters, digits and _, at most 63");
        }
        return new Schema(name);
    }

    /** @return the schema name */
    public String name() {
        return name;
    }

    /**
     * Substitutes this schema's name for every {@code {schema}} token, the one token of every statement. Two more are
     * filled by the code that sends the statements carrying them: {@code {where}}, the conditions of a
     * {@link JobSelection} (see {@link JobSelection#render}), and {@code {text}}, the dashboard's args search (see
     * {@link DashboardReads#jobs}); both are fixed text. Every value is a bound parameter, except a selection's
     * states, which {@link JobSelection} writes as literals once each is checked to be a state's name.
     *
     * @param sql a statement with {@code {schema}} tokens
     * @return the statement for this schema
     */
    public String render(String sql) {
        return sql.replace("{schema}", name);
    }

    /**
     * @return the channel on which jobs becoming available wake the queues of this schema (payload: a queue name; see
     *         {@code cluster.NodeSignals})
     */
    public String insertChannel() {
        return "shigoto_insert_" + name;
    }

    /** @return the channel of control messages of this schema (see {@code cluster.NodeSignals}) */
    public String controlChannel() {
        return "shigoto_control_" + name;
    }

    @Override
    public String toString() {
        return name;
    }
}
