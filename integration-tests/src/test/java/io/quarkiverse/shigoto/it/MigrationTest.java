package io.quarkiverse.shigoto.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.ShigotoException;
import io.quarkiverse.shigoto.runtime.store.Migrator;
import io.quarkiverse.shigoto.runtime.store.Schema;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Migrations apply once, whoever runs them and however many nodes start together; the exported SQL gives the same
 * schema. Each test works in a schema of its own.
 */
@QuarkusTest
class MigrationTest {

    @Inject
    AgroalDataSource dataSource;

    private Schema freshSchema(String name) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
            st.execute("CREATE SCHEMA " + name);
        }
        return Schema.of(name);
    }

    @Test
    void theJobTableIsVacuumedOnceOnePercentOfItChangedUnthrottled() throws Exception {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT array_to_string(reloptions, ',') FROM pg_class"
                        + " WHERE oid = 'shigoto_jobs'::regclass")) {
            rs.next();
            assertThat(rs.getString(1)).contains("autovacuum_vacuum_scale_factor=0.01",
                    "autovacuum_analyze_scale_factor=0.02", "autovacuum_vacuum_cost_delay=0");
        }
    }

    @Test
    void migratingTwiceAppliesNothingTheSecondTime() throws Exception {
        Schema schema = freshSchema("mig_twice");
        try (Connection c = dataSource.getConnection()) {
            assertThat(Migrator.migrate(c, schema)).isEqualTo(Migrator.resources().size());
            assertThat(Migrator.migrate(c, schema)).isZero();
            Migrator.verify(c, schema);
        }
    }

    @Test
    void nodesStartingTogetherApplyEachMigrationExactlyOnce() throws Exception {
        Schema schema = freshSchema("mig_race");
        int nodes = 6;
        CyclicBarrier start = new CyclicBarrier(nodes);
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try {
            List<Future<Integer>> applied = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                Callable<Integer> node = () -> {
                    try (Connection c = dataSource.getConnection()) {
                        start.await(10, TimeUnit.SECONDS);
                        return Migrator.migrate(c, schema);
                    }
                };
                applied.add(pool.submit(node));
            }
            int total = 0;
            for (Future<Integer> f : applied) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(Migrator.resources().size());
            assertThat(JobRows.single(dataSource, "SELECT count(*) FROM mig_race.shigoto_migrations"))
                    .isEqualTo(Migrator.resources().size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theExportedSqlBuildsASchemaThatPassesVerification() throws Exception {
        Schema schema = freshSchema("mig_export");
        try (Connection c = dataSource.getConnection()) {
            assertThatThrownBy(() -> Migrator.verify(c, schema)).isInstanceOf(ShigotoException.class)
                    .hasMessageContaining("lacks migration 1").hasMessageContaining("migrate-at-start");
            try (Statement st = c.createStatement()) {
                st.execute(Migrator.export(schema, 1));
            }
            Migrator.verify(c, schema);
            assertThat(Migrator.migrate(c, schema)).isZero();
        }
    }
}
