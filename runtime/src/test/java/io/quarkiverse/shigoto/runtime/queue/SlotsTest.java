package io.quarkiverse.shigoto.runtime.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.runtime.store.ClaimedJob;

class SlotsTest {

    private static ClaimedJob job(long id) {
        Instant now = Instant.now();
        return new ClaimedJob(id, "k", "q", 0, "{}", "{}", List.of(), 1, 3, null, now, now, now);
    }

    private static List<ClaimedJob> jobs(int n) {
        return LongStream.rangeClosed(1, n).mapToObj(SlotsTest::job).toList();
    }

    private static void measure(Slots slots, int runs, long nanos) {
        for (int i = 0; i < runs; i++) {
            slots.addPrefetched(List.of(job(1000 + i)));
            slots.startNext();
            slots.finish(nanos, true, false);
        }
    }

    @Test
    void thereIsNoPrefetchBeforeTheJobLengthIsKnown() {
        Slots slots = new Slots(10);
        measure(slots, Slots.SAMPLES_BEFORE_PREFETCH - 1, 1_000);
        assertThat(slots.prefetch()).isZero();
        assertThat(slots.capacity()).isEqualTo(10);
    }

    @Test
    void shortJobsGetAboutFiftyMillisecondsOfWorkCapped() {
        Slots slots = new Slots(10);
        measure(slots, 32, TimeUnit.MILLISECONDS.toNanos(1));
        // 10 slots x 50 ms / 1 ms each
        assertThat(slots.prefetch()).isEqualTo(500);

        Slots tiny = new Slots(50);
        measure(tiny, 32, 2_000);
        assertThat(tiny.prefetch()).isEqualTo(Slots.MAX_PREFETCH);
    }

    @Test
    void nearlyLongJobsStillGetOneJobPerSlot() {
        Slots slots = new Slots(10);
        measure(slots, 32, TimeUnit.MILLISECONDS.toNanos(4));
        // 50 ms / 4 ms = 12 whole jobs per slot
        assertThat(slots.prefetch()).isEqualTo(120);
        Slots slower = new Slots(10);
        measure(slower, 32, TimeUnit.MICROSECONDS.toNanos(4_900));
        assertThat(slower.prefetch()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void longJobsGetNoPrefetch() {
        Slots slots = new Slots(10);
        measure(slots, 32, TimeUnit.MILLISECONDS.toNanos(20));
        assertThat(slots.prefetch()).isZero();
    }

    @Test
    void startingNeverExceedsTheSlotsAndFinishingHandsTheSlotOn() {
        Slots slots = new Slots(2);
        slots.addPrefetched(jobs(3));
        assertThat(slots.startNext().id()).isEqualTo(1);
        assertThat(slots.startNext().id()).isEqualTo(2);
        assertThat(slots.startNext()).isNull();
        assertThat(slots.running()).isEqualTo(2);
        assertThat(slots.held()).isEqualTo(3);

        // the finished attempt's slot goes to job 3 directly
        assertThat(slots.finish(0, false, true).id()).isEqualTo(3);
        assertThat(slots.running()).isEqualTo(2);
        // nothing left: the slot is freed
        assertThat(slots.finish(0, false, true)).isNull();
        assertThat(slots.running()).isEqualTo(1);
    }

    @Test
    void aStoppingNodeTakesNothingNewAndDrainsThePrefetch() {
        Slots slots = new Slots(1);
        slots.addPrefetched(jobs(4));
        slots.startNext();
        assertThat(slots.finish(0, false, false)).isNull();
        assertThat(slots.running()).isZero();
        assertThat(slots.drainPrefetched()).extracting(ClaimedJob::id).containsExactly(2L, 3L, 4L);
        assertThat(slots.held()).isZero();
    }
}
