package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.agroal.DataSource;
import io.quarkus.test.QuarkusUnitTest;

/**
 * An application whose only datasource is a named one points shigoto at it with one setting, and may keep the job
 * tables in a schema of their own, which migrating at start creates.
 */
class NamedDatasourceTest {

    static final String JDBC_URL = EmbeddedDatabase.jdbcUrl();

    @RegisterExtension
    static final QuarkusUnitTest config = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(EmbeddedDatabase.class, Ping.class))
            .overrideConfigKey("quarkus.datasource.\"jobs\".db-kind", "postgresql")
            .overrideConfigKey("quarkus.datasource.\"jobs\".devservices.enabled", "false")
            .overrideConfigKey("quarkus.datasource.\"jobs\".jdbc.url", JDBC_URL)
            .overrideConfigKey("quarkus.shigoto.datasource", "jobs")
            .overrideConfigKey("quarkus.shigoto.schema", "background")
            .setAfterAllCustomizer(EmbeddedDatabase::stop);

    @Inject
    Shigoto shigoto;

    @Inject
    @DataSource("jobs")
    AgroalDataSource jobs;

    @Test
    void jobsLiveInTheNamedDatasourceAndTheConfiguredSchema() throws Exception {
        long id = shigoto.insert(JobRequest.of(Ping.class)).id();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> shigoto.job(id).orElseThrow().state() == JobState.COMPLETED);
        try (Connection c = jobs.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM background.shigoto_jobs WHERE id = " + id)) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(1);
        }
    }

    @Job
    public static class Ping implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }
}
