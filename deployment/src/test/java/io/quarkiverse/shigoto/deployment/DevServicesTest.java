package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.test.QuarkusUnitTest;

/**
 * An application that configures no datasource URL, on a machine without a container runtime, runs its tests on
 * shigoto's embedded PostgreSQL: a fresh data directory under {@code target/}, both URLs configured, jobs run.
 */
@EnabledIf(value = "io.quarkiverse.shigoto.deployment.NoContainerRuntime#here", disabledReason = "a container runtime"
        + " is here: Quarkus's PostgreSQL Dev Service serves the datasource")
class DevServicesTest {

    @RegisterExtension
    static final QuarkusUnitTest config = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Ping.class, NoContainerRuntime.class))
            .overrideConfigKey("quarkus.shigoto.queues.dev-services.concurrency", "1");

    @Inject
    Shigoto shigoto;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void jobsRunOnTheEmbeddedServer() throws SQLException {
        long id = shigoto.insert(JobRequest.of("dev-services-ping")).id();
        await().atMost(Duration.ofSeconds(30)).until(() -> shigoto.job(id).orElseThrow().state() == JobState.COMPLETED);

        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT current_setting('data_directory')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).contains("target/shigoto-dev-postgres/test-data-");
        }
        assertThat(ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class))
                .matches("jdbc:postgresql://localhost:\\d+/postgres");
    }

    @Job(kind = "dev-services-ping", queue = "dev-services")
    public static class Ping implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }
}
