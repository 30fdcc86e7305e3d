package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A worker whose kind defaults to its class name gets one build warning saying that renaming the class strands its
 * stored jobs; a worker that sets its kind gets none.
 */
class DefaultKindWarningTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.app()
            .withApplicationRoot(jar -> jar.addClasses(EmbeddedDatabase.class, SendInvoice.class, Named.class))
            .setLogRecordPredicate(r -> r.getLevel().intValue() >= Level.WARNING.intValue()
                    && r.getMessage() != null && r.getMessage().contains("has no @Job(kind)"))
            .assertLogRecords(records -> {
                assertThat(records).hasSize(1);
                String message = Logged.message(records.get(0));
                assertThat(message).startsWith(SendInvoice.class.getName() + " has no @Job(kind): its jobs are stored"
                        + " under the kind 'SendInvoice'").contains("renaming the class strands the jobs already stored")
                        .contains("@Job(kind = \"SendInvoice\")");
            });

    @Test
    void theApplicationStarts() {
        // the assertion is in assertLogRecords
    }

    @Job
    public static class SendInvoice implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }

    @Job(kind = "named")
    public static class Named implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }
}
