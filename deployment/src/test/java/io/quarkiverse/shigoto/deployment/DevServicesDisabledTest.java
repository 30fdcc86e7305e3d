package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.test.QuarkusUnitTest;

/**
 * With {@code quarkus.shigoto.devservices.enabled=false} and no container runtime, nothing provides the datasource:
 * Quarkus's own Dev Service fails the test start saying what to configure.
 */
@EnabledIf(value = "io.quarkiverse.shigoto.deployment.NoContainerRuntime#here", disabledReason = "a container runtime"
        + " is here: Quarkus's PostgreSQL Dev Service serves the datasource")
class DevServicesDisabledTest {

    @RegisterExtension
    static final QuarkusUnitTest config = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Ping.class, NoContainerRuntime.class))
            .overrideConfigKey("quarkus.shigoto.devservices.enabled", "false")
            .assertException(t -> {
                Throwable cause = t;
                while (cause != null && !String.valueOf(cause.getMessage()).contains("datasource URL")) {
                    cause = cause.getCause();
                }
                assertThat(cause).as("a cause asking for the datasource URL, in %s", t).isNotNull();
                assertThat(cause.getMessage()).contains("Docker");
            });

    @Test
    void theStartFails() {
        // the assertion is in assertException
    }

    @Job(kind = "dev-services-off")
    public static class Ping implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }
}
