package io.quarkiverse.shigoto.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MigratorTest {

    private final Schema schema = Schema.of("jobs_test");

    @Test
    void theExportIsRenderedForTheSchema() {
        String sql = Migrator.export(schema, 1);
        assertThat(sql).startsWith("-- shigoto schema for 'jobs_test', migrations 1 to " + Migrator.latestVersion())
                .contains("CREATE TABLE IF NOT EXISTS jobs_test.shigoto_migrations")
                .contains("CREATE TABLE jobs_test.shigoto_jobs")
                .doesNotContain("{schema}");
    }

    @Test
    void theExportRecordsEveryVersionItApplies() {
        String sql = Migrator.export(schema, 1);
        for (Migrator.Migration m : Migrator.MIGRATIONS) {
            // a quote in a description is doubled, as SQL string literals want
            assertThat(sql).contains("INSERT INTO jobs_test.shigoto_migrations (version, description) VALUES ("
                    + m.version() + ", '" + m.description().replace("'", "''") + "');");
        }
    }

    @Test
    void theExportCreatesTheVersionTableBeforeRecordingInIt() {
        String sql = Migrator.export(schema, 1);
        assertThat(sql.indexOf("CREATE TABLE IF NOT EXISTS jobs_test.shigoto_migrations"))
                .isLessThan(sql.indexOf("INSERT INTO jobs_test.shigoto_migrations"));
    }

    @Test
    void anExportFromAfterTheLatestVersionOnlyEnsuresTheVersionTable() {
        String sql = Migrator.export(schema, Migrator.latestVersion() + 1);
        assertThat(sql).contains("CREATE TABLE IF NOT EXISTS jobs_test.shigoto_migrations")
                .doesNotContain("shigoto_jobs")
                .doesNotContain("INSERT INTO");
    }

    @Test
    void everyMigrationIsAClassPathResource() {
        assertThat(Migrator.resources()).hasSize(Migrator.MIGRATIONS.size())
                .allSatisfy(path -> assertThat(Migrator.class.getClassLoader().getResource(path)).as(path).isNotNull());
    }

    @Test
    void versionsStartAtOneAndIncrease() {
        // branches reserve numbers (a feature branch may hold 3 while 2 is still on main), so a gap is allowed
        assertThat(Migrator.MIGRATIONS.get(0).version()).isEqualTo(1);
        for (int i = 1; i < Migrator.MIGRATIONS.size(); i++) {
            assertThat(Migrator.MIGRATIONS.get(i).version()).isGreaterThan(Migrator.MIGRATIONS.get(i - 1).version());
        }
        assertThat(Migrator.latestVersion()).isEqualTo(Migrator.MIGRATIONS.get(Migrator.MIGRATIONS.size() - 1).version());
    }
}
