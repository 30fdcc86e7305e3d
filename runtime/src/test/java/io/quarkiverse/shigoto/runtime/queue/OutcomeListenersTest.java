package io.quarkiverse.shigoto.runtime.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.runtime.store.ClaimedJob;
import io.quarkiverse.shigoto.runtime.store.Completion;

class OutcomeListenersTest {

    /** Records what it hears, and wants what it is told to. */
    private record Recording(boolean wantsStarts, boolean wantsOutcomes, List<String> heard)
            implements
                OutcomeListener {

        Recording(boolean wantsStarts, boolean wantsOutcomes) {
            this(wantsStarts, wantsOutcomes, new ArrayList<>());
        }

        @Override
        public void started(ClaimedJob job, String node) {
            heard.add("started " + job.id());
        }

        @Override
        public void stored(List<Stored> stored, String node) {
            heard.add("stored " + stored.size());
        }
    }

    private static final ClaimedJob JOB = new ClaimedJob(7, "k", "q", 0, "{}", "{}", List.of(), 1, 3, null,
            Instant.EPOCH, Instant.EPOCH, Instant.EPOCH);
    private static final List<OutcomeListener.Stored> ONE = List.of(new OutcomeListener.Stored(JOB,
            new Completion(7, 1, JobState.COMPLETED, null, Instant.EPOCH, false, null, null, null), 1_000));

    @Test
    void listenersThatWantNothingMakeNoListenerAtAll() {
        assertThat(OutcomeListeners.of(List.of())).isSameAs(OutcomeListener.NONE);
        assertThat(OutcomeListeners.of(List.of(new Recording(false, false), OutcomeListener.NONE)))
                .isSameAs(OutcomeListener.NONE);
    }

    @Test
    void aSingleListenerIsUsedAsItIs() {
        Recording only = new Recording(false, true);
        assertThat(OutcomeListeners.of(List.of(only))).isSameAs(only);
    }

    @Test
    void eachListenerHearsOnlyWhatItWants() {
        Recording startsOnly = new Recording(true, false);
        Recording outcomesOnly = new Recording(false, true);
        OutcomeListener both = OutcomeListeners.of(List.of(startsOnly, outcomesOnly));
        assertThat(both.wantsStarts()).isTrue();
        assertThat(both.wantsOutcomes()).isTrue();
        both.started(JOB, "n");
        both.stored(ONE, "n");
        assertThat(startsOnly.heard()).containsExactly("started 7");
        assertThat(outcomesOnly.heard()).containsExactly("stored 1");
    }
}
