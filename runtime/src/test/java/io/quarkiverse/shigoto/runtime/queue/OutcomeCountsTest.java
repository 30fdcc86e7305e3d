package io.quarkiverse.shigoto.runtime.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.runtime.store.MaintenanceStore.Counts;

class OutcomeCountsTest {

    private static final Instant MINUTE = Instant.parse("2026-11-29T22:41:00Z");

    @Test
    void countsAddUpPerMinuteAndQueueAndStartOverWhenDrained() {
        OutcomeCounts counts = new OutcomeCounts();
        counts.add(MINUTE, "mail", new int[] { 3, 1, 0, 0 });
        counts.add(MINUTE, "mail", new int[] { 2, 0, 1, 1 });
        counts.add(MINUTE.plusSeconds(60), "mail", new int[] { 1, 0, 0, 0 });
        counts.add(MINUTE, "reports", new int[] { 0, 0, 0, 4 });

        assertThat(counts.drain()).containsExactlyInAnyOrder(new Counts(MINUTE, "mail", 5, 1, 1, 1),
                new Counts(MINUTE.plusSeconds(60), "mail", 1, 0, 0, 0), new Counts(MINUTE, "reports", 0, 0, 0, 4));
        assertThat(counts.drain()).isEmpty();
    }

    @Test
    void countsThatCouldNotBeStoredGoWithTheNextDrain() {
        OutcomeCounts counts = new OutcomeCounts();
        counts.add(MINUTE, "mail", new int[] { 1, 0, 0, 0 });
        List<Counts> failed = counts.drain();
        counts.add(MINUTE, "mail", new int[] { 1, 2, 0, 0 });
        counts.restore(failed);
        assertThat(counts.drain()).containsExactly(new Counts(MINUTE, "mail", 2, 2, 0, 0));
    }

    @Test
    void onlyOutcomesOfAnAttemptHaveASlot() {
        assertThat(OutcomeCounts.slot(JobState.COMPLETED)).isZero();
        assertThat(OutcomeCounts.slot(JobState.RETRYABLE)).isEqualTo(1);
        assertThat(OutcomeCounts.slot(JobState.DISCARDED)).isEqualTo(2);
        assertThat(OutcomeCounts.slot(JobState.CANCELLED)).isEqualTo(3);
        assertThat(OutcomeCounts.slot(JobState.SCHEDULED)).isEqualTo(-1);
    }
}
