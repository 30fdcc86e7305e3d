package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A timeout too large for a {@code Duration} in milliseconds is reported like any other invalid timeout.
 */
class OverflowingTimeoutTest {

    @RegisterExtension
    static final QuarkusUnitTest config = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(TooManyDays.class, TooManyMillis.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "postgresql")
            .overrideConfigKey("quarkus.datasource.devservices.enabled", "false")
            .assertException(t -> assertThat(WorkerProblems.of(t)).satisfiesExactlyInAnyOrder(
                    p -> assertThat(p).startsWith(TooManyDays.class.getName() + ": invalid timeout"),
                    p -> assertThat(p).startsWith(TooManyMillis.class.getName() + ": invalid timeout")));

    @Test
    void anOverflowingTimeoutIsReportedWithItsClass() {
        fail("the build must fail");
    }

    @Job(timeout = "999999999999999d")
    public static class TooManyDays implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }

    @Job(timeout = "9999999999999999s")
    public static class TooManyMillis implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }
}
