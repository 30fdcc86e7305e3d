package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import jakarta.enterprise.context.Dependent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A worker whose kind defaults to its class name gets one build warning saying that renaming the class strands its
 * stored jobs; a {@code @Dependent} worker one saying it runs as a singleton; a worker that sets its kind and keeps the
 * default scope gets none.
 */
class WorkerWarningsTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.app()
            .withApplicationRoot(jar -> jar.addClasses(EmbeddedDatabase.class, SendInvoice.class, Named.class,
                    PerJob.class))
            .setLogRecordPredicate(r -> r.getLevel().intValue() >= Level.WARNING.intValue()
                    && r.getMessage() != null
                    && (r.getMessage().contains("has no @Job(kind)") || r.getMessage().contains("is @Dependent")))
            .assertLogRecords(records -> {
                List<String> messages = records.stream().map(Logged::message).toList();
                assertThat(messages).hasSize(2);
                assertThat(messages).filteredOn(m -> m.contains("is @Dependent")).singleElement().asString()
                        .startsWith(PerJob.class.getName() + " is @Dependent, but shigoto creates one instance")
                        .contains("declare it @Singleton or @ApplicationScoped");
                String message = messages.stream().filter(m -> m.contains("has no @Job(kind)")).findFirst().orElseThrow();
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

    @Job(kind = "per-job")
    @Dependent
    public static class PerJob implements Worker {
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
