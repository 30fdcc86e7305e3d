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
 * A configured queue that no worker or cron entry names (a misspelling, usually) starts, with one warning naming it;
 * the queues that are named, and those configured not to run here, warn about nothing.
 */
class UnusedQueueWarningTest {

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.app()
            .withApplicationRoot(jar -> jar.addClasses(EmbeddedDatabase.class, Shipping.class))
            .overrideConfigKey("quarkus.shigoto.queues.shipping.concurrency", "4")
            .overrideConfigKey("quarkus.shigoto.queues.shiping.concurrency", "4")
            .overrideConfigKey("quarkus.shigoto.queues.idle.concurrency", "0")
            .overrideConfigKey("quarkus.shigoto.cron.nightly.schedule", "0 3 * * *")
            .overrideConfigKey("quarkus.shigoto.cron.nightly.kind", "ship")
            .overrideConfigKey("quarkus.shigoto.cron.nightly.queue", "nightly-shipping")
            .overrideConfigKey("quarkus.shigoto.queues.nightly-shipping.concurrency", "1")
            .setLogRecordPredicate(r -> r.getLevel().intValue() >= Level.WARNING.intValue()
                    && r.getMessage() != null && r.getMessage().contains("configures a queue"))
            .assertLogRecords(records -> {
                assertThat(records).hasSize(1);
                String message = Logged.message(records.get(0));
                assertThat(message).startsWith("quarkus.shigoto.queues.\"shiping\" configures a queue that no @Job"
                        + " worker or cron entry of this application names")
                        .contains("JobRequest.queue(\"shiping\")");
            });

    @Test
    void theApplicationStarts() {
        // the assertion is in assertLogRecords
    }

    @Job(kind = "ship", queue = "shipping")
    public static class Shipping implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }
}
