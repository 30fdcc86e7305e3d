package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.shigoto.CircuitBreaker;
import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Circuit breaker properties that name no kind or hold invalid values stop the start, every problem listed by its
 * property, rather than leaving a kind without the breaker its operators configured.
 */
class BreakerConfigProblemsTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.app()
            .withApplicationRoot(jar -> jar.addClasses(EmbeddedDatabase.class, PartnerCall.class))
            .overrideConfigKey("quarkus.shigoto.circuit-breakers.\"partner-call\".failure-ratio", "1.5")
            .overrideConfigKey("quarkus.shigoto.circuit-breakers.\"partner-call\".success-threshold", "0")
            .overrideConfigKey("quarkus.shigoto.circuit-breakers.\"no-such-kind\".delay", "10s")
            .assertException(e -> assertThat(StartFailure.message(e, "invalid shigoto circuit breaker configuration"))
                    .contains("quarkus.shigoto.circuit-breakers.\"no-such-kind\" names no job kind of this"
                            + " application (kinds: [partner-call])")
                    .contains("quarkus.shigoto.circuit-breakers.\"partner-call\".failure-ratio must be above 0 and at"
                            + " most 1, was 1.5")
                    .contains("quarkus.shigoto.circuit-breakers.\"partner-call\".success-threshold must be at least 1,"
                            + " was 0"));

    @Test
    void startFails() {
        fail("the start must fail");
    }

    @Job(kind = "partner-call")
    @CircuitBreaker
    public static class PartnerCall implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }
}
