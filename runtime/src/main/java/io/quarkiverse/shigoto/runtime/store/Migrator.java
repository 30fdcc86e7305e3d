package io.quarkiverse.shigoto.runtime.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import org.jboss.logging.Logger;

import io.quarkiverse.shigoto.ShigotoException;

/**
 * Applies the numbered migrations under {@code META-INF/shigoto/migrations/}. All pending migrations run in one
 * transaction that holds an advisory lock, so nodes starting together apply each migration exactly once and a failed
 * migration leaves the schema as it was.
 */
public final class Migrator {

    /** Every migration, oldest first. The list is fixed here so nothing scans the classpath. */
    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "jobs", "0001-jobs.sql"),
            new Migration(2, "unique jobs, dependencies, queue controls, nodes", "0002-control.sql"),
            new Migration(3, "fair queues, rate and concurrency limits", "0003-fair-and-limits.sql"),
            new Migration(4, "leadership, rescue and pruning indexes, archive, throughput counts",
                    "0004-maintenance.sql"),
            new Migration(5, "cron entries", "0005-cron.sql"),
            new Migration(6, "archive retention index", "0006-archive-retention.sql"),

            new Migration(7, "scheduled and retryable jobs by queue", "0007-waiting-counts.sql"),
            new Migration(8, "completions on pinned plans", "0008-pinned-completions.sql"),
            new Migration(9, "autovacuum for the job table's churn", "0009-autovacuum.sql"),
            new Migration(10, "batches", "0010-batches.sql"),
            new Migration(11, "workflows, dependents held on failure", "0011-workflows.sql"),
            new Migration(12, "circuit breakers", "0012-circuit-breakers.sql"),
            new Migration(13, "load shedding", "0013-load-shedding.sql"),
            new Migration(14, "broadcast queues", "0014-broadcast-queues.sql"));

    private static final String APPLIED = "SELECT version FROM {schema}.shigoto_migrations";
    private static final String CREATE_SCHEMA = "CREATE SCHEMA IF NOT EXISTS {schema}";
    // a transaction-scoped lock: released by commit or rollback even if this node dies mid-migration
    private static final String LOCK = "SELECT pg_advisory_xact_lock(1936287588, hashtext(?))";
    private static final String RECORD = "INSERT INTO {schema}.shigoto_migrations (version, description) VALUES (?, ?)";
    private static final String TABLE_EXISTS = "SELECT to_regclass(?) IS NOT NULL";
    private static final String VERSION_TABLE = """
            CREATE TABLE IF NOT EXISTS {schema}.shigoto_migrations (
                version     integer PRIMARY KEY,
                description text NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            )
            """;

    /**
     * One migration.
     *
     * @param version its number
     * @param description what it does
     * @param file its file name under {@code META-INF/shigoto/migrations/}
     */
    record Migration(int version, String description, String file) {

        String resourcePath() {
            return "META-INF/shigoto/migrations/" + file;
        }

        String sql(Schema schema) {
            String path = resourcePath();
            try (InputStream in = Migrator.class.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("missing migration resource " + path);
                }
                return schema.render(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Migrator() {
    }

    /** @return the class-path resources of every migration, for the native image */
    public static List<String> resources() {
        return MIGRATIONS.stream().map(Migration::resourcePath).toList();
    }

    /** @return the schema version this code needs */
    public static int latestVersion() {
        return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
    }

    /**
     * Brings the schema up to date.
     *
     * @param connection a connection, used in a transaction of its own
     * @param schema the schema
     * @return how many migrations were applied
     */
    public static int migrate(Connection connection, Schema schema) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
                lock.setString(1, schema.name());
                lock.execute();
            }
            try (Statement st = connection.createStatement()) {
                st.execute(schema.render(CREATE_SCHEMA));
                st.execute(schema.render(VERSION_TABLE));
            }
            Set<Integer> applied = applied(connection, schema);
            int count = 0;
            for (Migration m : MIGRATIONS) {
                if (!applied.contains(m.version())) {
                    apply(connection, schema, m);
                    count++;
                }
            }
            connection.commit();
            return count;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /**
     * Checks that someone else (Flyway, Liquibase, a DBA) applied every migration.
     *
     * @throws ShigotoException naming the missing versions and how to export them
     */
    public static void verify(Connection connection, Schema schema) throws SQLException {
        Set<Integer> applied = appliedVersions(connection, schema);
        int latest = latestVersion();
        for (Migration m : MIGRATIONS) {
            if (!applied.contains(m.version())) {
                throw new ShigotoException("shigoto schema '" + schema + "' lacks migration " + m.version() + " ("
                        + m.description() + ") and quarkus.shigoto.migrate-at-start is false: apply the SQL of "
                        + "SchemaExport (docs/migrations.md) up to version " + latest
                        + ", or enable migrate-at-start");
            }
        }
    }

    /**
     * @return the versions applied to the schema (none when it has no version table), in order
     */
    public static SortedSet<Integer> appliedVersions(Connection connection, Schema schema) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(TABLE_EXISTS)) {
            st.setString(1, schema.name() + ".shigoto_migrations");
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return new TreeSet<>();
                }
            }
        }
        return new TreeSet<>(applied(connection, schema));
    }

    /** @return the versions this code needs, in order */
    public static SortedSet<Integer> expectedVersions() {
        SortedSet<Integer> versions = new TreeSet<>();
        MIGRATIONS.forEach(m -> versions.add(m.version()));
        return versions;
    }

    /**
     * @param schema the schema
     * @param fromVersion the first version to include (1 for a fresh database)
     * @return the SQL of the migrations from that version on, each recording itself in the version table
     */
    public static String export(Schema schema, int fromVersion) {
        StringBuilder out = new StringBuilder();
        out.append("-- shigoto schema for '").append(schema).append("', migrations ").append(fromVersion)
                .append(" to ").append(latestVersion()).append('\n');
        out.append(schema.render(CREATE_SCHEMA)).append(";\n");
        out.append(schema.render(VERSION_TABLE).strip()).append(";\n\n");
        for (Migration m : MIGRATIONS) {
            if (m.version() >= fromVersion) {
                out.append(m.sql(schema).strip()).append("\n\n");
                out.append(schema.render(RECORD).replaceFirst("\\?", Integer.toString(m.version()))
                        .replaceFirst("\\?", java.util.regex.Matcher.quoteReplacement(
                                "'" + m.description().replace("'", "''") + "'")))
                        .append(";\n\n");
            }
        }
        return out.toString();
    }

    private static Set<Integer> applied(Connection connection, Schema schema) throws SQLException {
        Set<Integer> versions = new HashSet<>();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery(schema.render(APPLIED))) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        return versions;
    }

    private static void apply(Connection connection, Schema schema, Migration m) throws SQLException {
        // the logger is looked up here, not in a static field, so SchemaExport runs with this jar alone
        Logger.getLogger(Migrator.class).infof("Applying shigoto migration %d (%s) to schema %s", m.version(), m.description(),
                schema);
        try (Statement st = connection.createStatement()) {
            st.execute(m.sql(schema));
        }
        try (PreparedStatement st = connection.prepareStatement(schema.render(RECORD))) {
            st.setInt(1, m.version());
            st.setString(2, m.description());
            st.executeUpdate();
        }
    }
}
