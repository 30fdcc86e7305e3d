package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.MdcWorker;
import io.quarkiverse.shigoto.testing.PerformedJob;
import io.quarkiverse.shigoto.testing.ShigotoTesting;
import io.quarkus.test.junit.QuarkusTest;

/**
 * While a job runs, the logging MDC names it; once it is over, nothing of it stays on the thread.
 */
@QuarkusTest
class LoggingContextTest {

    @Inject
    Shigoto shigoto;

    @Inject
    ShigotoTesting testing;

    @Test
    void theMdcNamesTheRunningJob() {
        JobView job = shigoto.insert(JobRequest.of(MdcWorker.class).queue("serial"));
        JobView done = awaitState(shigoto, job.id(), JobState.COMPLETED);

        assertThat(done.result()).isEqualTo(Map.of("shigoto.job.id", Long.toString(job.id()), "shigoto.job.kind",
                "mdc", "shigoto.job.queue", "serial", "shigoto.job.attempt", "1"));
    }

    @Test
    void nothingOfAJobStaysInTheMdcOfTheThreadThatRanIt() {
        PerformedJob done = testing.performJob(JobRequest.of(MdcWorker.class), 2);

        assertThat(done.value()).isEqualTo(Map.of("shigoto.job.id", Long.toString(done.id()), "shigoto.job.kind",
                "mdc", "shigoto.job.queue", "default", "shigoto.job.attempt", "2"));
        // performJob ran it on this thread
        assertThat(MDC.get("shigoto.job.id")).isNull();
        assertThat(MDC.get("shigoto.job.kind")).isNull();
    }
}
