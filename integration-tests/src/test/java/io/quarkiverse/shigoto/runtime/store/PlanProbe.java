package io.quarkiverse.shigoto.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.postgresql.ds.PGSimpleDataSource;

import io.quarkiverse.shigoto.it.db.TestDatabase;

/**
 * A schema of its own on the test PostgreSQL, migrated, for the tests that EXPLAIN the store's statements over a
 * table they fill.
 */
final class PlanProbe {

    /** Binds a statement's parameters before it is explained. */
    interface Binder {
        void bind(PreparedStatement st) throws SQLException;
    }

    final Schema schema;
    final PGSimpleDataSource dataSource;

    private PlanProbe(Schema schema) {
        this.schema = schema;
        this.dataSource = new PGSimpleDataSource();
        dataSource.setURL(TestDatabase.get().jdbcUrlWithCredentials());
    }

    /** @return the probe, its schema dropped and migrated afresh, after {@code fill} ran there and it was analyzed */
    static PlanProbe migrated(String schemaName, String... fill) throws SQLException {
        PlanProbe probe = new PlanProbe(Schema.of(schemaName));
        try (Connection c = probe.dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schemaName + " CASCADE");
            Migrator.migrate(c, probe.schema);
            for (String sql : fill) {
                st.execute(probe.schema.render(sql));
            }
            st.execute(probe.schema.render("ANALYZE {schema}.shigoto_jobs"));
        }
        return probe;
    }

    void drop() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA " + schema.name() + " CASCADE");
        }
    }

    /** @return the plan of the statement (already rendered for the schema) under that plan cache mode */
    String explain(String sql, String planCache, Binder binder) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("SET plan_cache_mode = " + planCache);
            }
            try (PreparedStatement st = c.prepareStatement("EXPLAIN " + sql)) {
                binder.bind(st);
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                return plan.toString();
            }
        }
    }
}
