package io.quarkiverse.shigoto.runtime.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.runtime.config.ConfiguredQueues;
import io.quarkiverse.shigoto.runtime.store.SheddingStore.Band;

class SheddingControlTest {

    private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");
    private static final ConfiguredQueues.Shedding SETTINGS = new ConfiguredQueues.Shedding(Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofMinutes(1), null);

    /** Three priorities waiting, the oldest job of each due {@code waitedSeconds} before {@code now}. */
    private static List<Band> bands(Instant now, long waitedSeconds) {
        Instant oldest = now.minusSeconds(waitedSeconds);
        return List.of(new Band(10, oldest.plusSeconds(1)), new Band(0, oldest), new Band(-5, oldest));
    }

    @Test
    void aWaitBelowTheTargetShedsNothingAndAWaitAboveItShedsOnlyAfterAnInterval() {
        SheddingControl control = new SheddingControl(SETTINGS);
        assertThat(control.next(T0, false, bands(T0, 2)).shedding()).isFalse();
        assertThat(control.next(T0.plusSeconds(1), false, bands(T0.plusSeconds(1), 6)).shedding()).isFalse();
        assertThat(control.next(T0.plusSeconds(10), false, bands(T0.plusSeconds(10), 15)).shedding())
                .as("above for 9 s of a 10 s interval").isFalse();
        SheddingControl.Decision d = control.next(T0.plusSeconds(11), false, bands(T0.plusSeconds(11), 16));
        assertThat(d.shedding()).isTrue();
        assertThat(d.changed()).isTrue();
        assertThat(d.shedBelow()).as("the lowest priority, -5, is shed").isEqualTo(-4);
        assertThat(d.waited()).isEqualTo(Duration.ofSeconds(16));
    }

    @Test
    void whileTheWaitStaysAboveItShedsOneMorePriorityPerStepButNeverTheHighest() {
        SheddingControl control = new SheddingControl(SETTINGS);
        control.next(T0, false, bands(T0, 6));
        Instant t = T0.plusSeconds(10);
        assertThat(control.next(t, false, bands(t, 16)).shedBelow()).isEqualTo(-4);
        // before the next step: unchanged
        t = t.plusSeconds(5);
        assertThat(control.next(t, true, bands(t, 21)).changed()).isFalse();
        // the next step, an interval later: priority 0 too
        t = t.plusSeconds(5);
        List<Band> waiting = List.of(new Band(10, t.minusSeconds(30)), new Band(0, t.minusSeconds(30)));
        SheddingControl.Decision d = control.next(t, true, waiting);
        assertThat(d.changed()).isTrue();
        assertThat(d.shedBelow()).isEqualTo(1);
        // only the highest is left: it is never shed
        t = t.plusSeconds(10);
        d = control.next(t, true, List.of(new Band(10, t.minusSeconds(40))));
        assertThat(d.shedding()).isTrue();
        assertThat(d.shedBelow()).isEqualTo(1);
        assertThat(d.changed()).isFalse();
    }

    @Test
    void aWaitBackBelowTheTargetStopsSheddingAndAStoredStateIsFollowed() {
        SheddingControl control = new SheddingControl(SETTINGS);
        // a new leader finds the queue shedding: it follows, then stops once the wait is short
        SheddingControl.Decision d = control.next(T0, true, bands(T0, 30));
        assertThat(d.shedding()).isTrue();
        d = control.next(T0.plusSeconds(1), true, bands(T0.plusSeconds(1), 1));
        assertThat(d.shedding()).isFalse();
        assertThat(d.changed()).isTrue();
        assertThat(d.shedBelow()).isNull();
        assertThat(control.next(T0.plusSeconds(2), false, List.of()).changed()).isFalse();
    }

    @Test
    void oneWaitingPriorityIsNeverShedAndTheStepsWalkUpThePrioritiesPresent() {
        assertThat(SheddingControl.step(List.of(new Band(3, T0)), null)).isNull();
        List<Band> three = List.of(new Band(10, T0), new Band(0, T0), new Band(-5, T0));
        assertThat(SheddingControl.step(three, null)).isEqualTo(-4);
        assertThat(SheddingControl.step(three, -4)).isEqualTo(1);
        assertThat(SheddingControl.step(three, 1)).isEqualTo(1);
    }
}
