package io.quarkiverse.shigoto.runtime.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.JobControls.Progress;
import io.quarkiverse.shigoto.runtime.worker.WorkerDefinition;

class ProgressWriterTest {

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final List<List<Progress>> writes = new ArrayList<>();
    // an interval no test reaches: only stop() flushes
    private final ProgressWriter writer = new ProgressWriter(writes::add, timer, batch -> {
    }, 3_600_000);

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    private RunningAttempt attempt(long id) {
        ClaimedJob job = new ClaimedJob(id, "k", "q", 0, "{}", "{}", List.of(), 2, 3, null, Instant.EPOCH,
                Instant.EPOCH, Instant.EPOCH);
        WorkerDefinition definition = new WorkerDefinition("k", "com.acme.K", "q", 0, 3, 0, List.of(), false, null,
                List.of(), 0, 0, 0, null, null, null, false, null, false);
        return new RunningAttempt(job, definition, null, Map.of(), "node", null, writer);
    }

    @Test
    void aMillionReportsOfOneAttemptBecomeOneWriteOfTheLatestValue() {
        RunningAttempt a = attempt(1);
        for (int i = 0; i < 1_000_000; i++) {
            a.reportProgress(i % 101);
        }
        a.reportProgress(77);
        writer.stop();
        assertThat(writes).containsExactly(List.of(new Progress(1, "k", "q", 2, 77)));
        assertThat(a.unwrittenProgress()).isNull();
    }

    @Test
    void progressNotWrittenYetTravelsWithTheOutcome() {
        RunningAttempt a = attempt(2);
        assertThat(a.unwrittenProgress()).isNull();
        a.reportProgress(40);
        assertThat(a.unwrittenProgress()).isEqualTo(40);
        writer.stop();
        a.reportProgress(40);
        assertThat(a.unwrittenProgress()).as("already stored").isNull();
    }

    @Test
    void progressOutOfRangeIsRefusedNamingTheValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> attempt(3).reportProgress(101))
                .withMessageContaining("101");
    }
}
