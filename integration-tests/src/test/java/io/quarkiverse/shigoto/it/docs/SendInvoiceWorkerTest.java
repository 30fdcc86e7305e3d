// Quoted in docs/testing.md between the snippet markers; DocsSnippetsTest keeps the two the same.
package io.quarkiverse.shigoto.it.docs;

// snippet:perform-job
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.it.workers.InvoiceArgs;
import io.quarkiverse.shigoto.it.workers.ScriptedWorker;
import io.quarkiverse.shigoto.it.workers.SendInvoiceWorker;
import io.quarkiverse.shigoto.testing.PerformedJob;
import io.quarkiverse.shigoto.testing.ShigotoTesting;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SendInvoiceWorkerTest {

    @Inject
    ShigotoTesting shigoto;

    @Test
    void anInvoiceIsSent() {
        PerformedJob done = shigoto.performJob(SendInvoiceWorker.class,
                new InvoiceArgs(42L, "EUR", List.of(new InvoiceArgs.Line("pen", 2))));

        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat((String) done.value()).startsWith("invoice 42 in EUR");
    }

    @Test
    void theLastFailedAttemptDiscardsTheJob() {
        JobRequest failing = JobRequest.of(ScriptedWorker.class).arg("outcome", "error").arg("token", 1);

        PerformedJob first = shigoto.performJob(failing);
        PerformedJob last = shigoto.performJob(failing, 3); // ScriptedWorker allows 3 attempts

        assertThat(first.state()).isEqualTo(JobState.RETRYABLE);
        assertThat(first.nextRunAt()).isNotNull();
        assertThat(last.state()).isEqualTo(JobState.DISCARDED);
        assertThat(last.error().message()).isEqualTo("scripted failure on attempt 3");
    }
}
// end:perform-job
