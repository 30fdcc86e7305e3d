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
 * A datasource without a URL, and no Dev Service allowed to provide one, fails the start with a message naming the
 * property to set.
 */
class InactiveDatasourceTest {

    @RegisterExtension
    static final QuarkusUnitTest config = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Ping.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "postgresql")
            .overrideConfigKey("quarkus.datasource.devservices.enabled", "false")
            .assertException(t -> {
                Throwable cause = t;
                while (cause != null && !String.valueOf(cause.getMessage()).contains("which shigoto uses")) {
                    cause = cause.getCause();
                }
                assertThat(cause).as("a cause naming the datasource, in %s", t).isNotNull();
                assertThat(cause.getMessage()).startsWith("the default JDBC datasource, which shigoto uses, is not"
                        + " active: set quarkus.datasource.jdbc.url (and quarkus.datasource.active=true if it was"
                        + " deactivated)");
            });

    @Test
    void theStartFails() {
        // the assertion is in assertException
    }

    @Job(kind = "inactive-datasource")
    public static class Ping implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }
}
