package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Naming a datasource that does not exist fails the start with a message saying so.
 */
class MissingDatasourceTest {

    @RegisterExtension
    static final QuarkusUnitTest config = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Ping.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "postgresql")
            .overrideConfigKey("quarkus.datasource.devservices.enabled", "false")
            .overrideConfigKey("quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:1/unused")
            .overrideConfigKey("quarkus.shigoto.datasource", "missing")
            .assertException(t -> {
                Throwable cause = t;
                while (cause != null && !String.valueOf(cause.getMessage()).contains("quarkus.shigoto.datasource")) {
                    cause = cause.getCause();
                }
                assertThat(cause).as("a cause naming the setting, in %s", t).isNotNull();
                assertThat(cause.getMessage()).isEqualTo("quarkus.shigoto.datasource names 'missing', but no JDBC"
                        + " datasource of that name is configured");
            });

    @Test
    void theStartFails() {
        // the assertion is in assertException
    }

    @Job
    public static class Ping implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }
}
