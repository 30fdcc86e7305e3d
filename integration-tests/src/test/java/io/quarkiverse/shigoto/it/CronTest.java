package io.quarkiverse.shigoto.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.CronView;
import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.NodeHarness;
import io.quarkiverse.shigoto.runtime.maintenance.CronEntry;
import io.quarkiverse.shigoto.runtime.maintenance.CronSchedule;
import io.quarkiverse.shigoto.runtime.maintenance.CronScheduler;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Cron against the real database: each scheduled minute runs once however many schedulers tick it, missed minutes are
 * caught up within the window and skipped beyond it. Every test ticks its own entry with explicit instants (years
 * ahead, so the application's own scheduler never reaches them); the entry's args carry a token to count its jobs.
 */
@QuarkusTest
class CronTest {

    @Inject
    Shigoto shigoto;

    @Inject
    NodeHarness runtime;

    @Test
    void schedulersTickingTheSameMinutesAtOnceRunEachMinuteOnce() throws Exception {
        String token = UUID.randomUUID().toString();
        CronEntry entry = entry(token, "* * * * *", Duration.ofHours(1));
        int nodes = 4;
        List<CronScheduler> schedulers = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            schedulers.add(scheduler(entry));
        }
        Instant start = Instant.parse("2040-01-01T00:00:30Z");
        int minutes = 15;
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try {
            CyclicBarrier together = new CyclicBarrier(nodes);
            int inserted = 0;
            for (int m = 0; m < minutes; m++) {
                Instant now = start.plus(Duration.ofMinutes(m));
                List<Future<Integer>> ticks = new ArrayList<>();
                for (CronScheduler s : schedulers) {
                    ticks.add(pool.submit((Callable<Integer>) () -> {
                        together.await(10, TimeUnit.SECONDS);
                        return s.tick(now);
                    }));
                }
                for (Future<Integer> t : ticks) {
                    inserted += t.get(20, TimeUnit.SECONDS);
                }
            }
            assertThat(inserted).isEqualTo(minutes);
        } finally {
            pool.shutdownNow();
        }
        List<Instant> expected = new ArrayList<>();
        for (int m = 0; m < minutes; m++) {
            expected.add(Instant.parse("2040-01-01T00:00:00Z").plus(Duration.ofMinutes(m)));
        }
        assertThat(jobs(token)).extracting(JobView::scheduledAt).containsExactlyElementsOf(expected);
        assertThat(jobs(token)).allSatisfy(j -> {
            assertThat(j.kind()).isEqualTo("echo");
            assertThat(j.queue()).isEqualTo("parked");
            assertThat(j.state()).isEqualTo(JobState.AVAILABLE);
            assertThat(j.meta()).containsEntry("cron", entry.name());
        });
    }

    @Test
    void missedRunsAreCaughtUpWithinTheWindowEachOnceAndSkippedBeyondIt() throws Exception {
        String token = UUID.randomUUID().toString();
        CronEntry entry = entry(token, "*/10 * * * *", Duration.ofHours(1));
        CronScheduler first = scheduler(entry);
        assertThat(first.tick(Instant.parse("2041-03-01T00:00:40Z"))).isEqualTo(1);
        // no node ticks for three hours: 00:10 to 01:50 are older than the hour of catch-up, 02:00 to 03:00 are not
        CronScheduler later = scheduler(entry);
        Instant back = Instant.parse("2041-03-01T03:00:05Z");
        assertThat(later.tick(back)).isEqualTo(7);
        assertThat(later.tick(back)).isZero();
        assertThat(first.tick(back)).isZero();
        assertThat(jobs(token)).extracting(j -> j.scheduledAt().atOffset(ZoneOffset.UTC).toLocalTime().toString())
                .containsExactly("00:00", "02:00", "02:10", "02:20", "02:30", "02:40", "02:50", "03:00");
    }

    @Test
    void aNewEntryStartsWithTheCurrentMinuteNotBeforeIt() throws Exception {
        String token = UUID.randomUUID().toString();
        CronScheduler scheduler = scheduler(entry(token, "*/5 * * * *", Duration.ofHours(1)));
        assertThat(scheduler.tick(Instant.parse("2042-05-01T12:07:00Z"))).isZero();
        assertThat(scheduler.tick(Instant.parse("2042-05-01T12:10:00.001Z"))).isEqualTo(1);
        assertThat(jobs(token)).extracting(JobView::scheduledAt).containsExactly(Instant.parse("2042-05-01T12:10:00Z"));
    }

    @Test
    void aChangedScheduleDoesNotCatchUpTheMinutesOfTheOldOne() throws Exception {
        String token = UUID.randomUUID().toString();
        CronEntry hourly = entry(token, "0 * * * *", Duration.ofHours(1));
        assertThat(scheduler(hourly).tick(Instant.parse("2043-01-01T10:00:01Z"))).isEqualTo(1);
        CronEntry everyMinute = new CronEntry(hourly.name(), CronSchedule.parse("* * * * *", ZoneOffset.UTC),
                hourly.kind(), hourly.args(), hourly.queue(), null, null, hourly.catchUp(), true);
        assertThat(scheduler(everyMinute).tick(Instant.parse("2043-01-01T10:30:01Z"))).isEqualTo(1);
        assertThat(jobs(token)).extracting(JobView::scheduledAt).containsExactly(
                Instant.parse("2043-01-01T10:00:00Z"), Instant.parse("2043-01-01T10:30:00Z"));
    }

    @Test
    void aSpringForwardDayRunsAFixedTimeInTheGapOnce() throws Exception {
        String token = UUID.randomUUID().toString();
        CronEntry entry = new CronEntry("it-cron-" + token, CronSchedule.parse("30 2 * * *",
                java.time.ZoneId.of("America/New_York")), "echo", Map.of("token", token), "parked", null, null,
                Duration.ofHours(1), true);
        CronScheduler scheduler = scheduler(entry);
        // 2044-03-13: New York skips from 02:00 EST to 03:00 EDT (07:00Z); a node ticks every minute through it
        int inserted = 0;
        for (Instant now = Instant.parse("2044-03-13T06:00:00Z"); now.isBefore(Instant.parse("2044-03-13T09:00:00Z")); now = now
                .plus(Duration.ofMinutes(1))) {
            inserted += scheduler.tick(now);
        }
        assertThat(inserted).isEqualTo(1);
        assertThat(jobs(token)).extracting(JobView::scheduledAt).containsExactly(Instant.parse("2044-03-13T07:00:00Z"));
    }

    @Test
    void theEntriesOfTheApplicationAreListedWithTheirNextRun() {
        List<CronView> entries = shigoto.cronEntries();
        assertThat(entries).extracting(CronView::name).containsSubsequence("cron-report", "nightly-echo",
                "paused-echo");
        CronView report = entries.stream().filter(e -> e.name().equals("cron-report")).findFirst().orElseThrow();
        assertThat(report.kind()).isEqualTo("cron-report");
        assertThat(report.queue()).isEqualTo("cron");
        assertThat(report.schedule()).isEqualTo("@yearly");
        assertThat(report.timezone()).isEqualTo("America/New_York");
        assertThat(report.nextRunAt().atZone(java.time.ZoneId.of("America/New_York")).toLocalDateTime().toString())
                .endsWith("-01-01T00:00");
        CronView paused = entries.stream().filter(e -> e.name().equals("paused-echo")).findFirst().orElseThrow();
        assertThat(paused.enabled()).isFalse();
        assertThat(paused.nextRunAt()).isNull();
    }

    @Test
    void eachInsertedJobIsReportedAfterItsCommit() throws Exception {
        String token = UUID.randomUUID().toString();
        List<Long> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        CronScheduler scheduler = new CronScheduler(runtime.store().cron(), runtime.catalog(),
                List.of(entry(token, "*/5 * * * *", Duration.ofHours(1))), runtime.clock(), () -> true, reported::add);
        assertThat(scheduler.tick(Instant.parse("2041-03-01T10:00:20Z"))).isEqualTo(1);
        assertThat(scheduler.tick(Instant.parse("2041-03-01T10:12:20Z"))).isEqualTo(2);
        assertThat(reported).hasSize(3).containsExactlyElementsOf(jobs(token).stream().map(JobView::id).toList());
    }

    private CronScheduler scheduler(CronEntry entry) {
        return new CronScheduler(runtime.store().cron(), runtime.catalog(), List.of(entry), runtime.clock(), () -> true, id -> {
        });
    }

    private static CronEntry entry(String token, String schedule, Duration catchUp) {
        return new CronEntry("it-cron-" + token, CronSchedule.parse(schedule, ZoneOffset.UTC), "echo",
                Map.of("token", token), "parked", null, null, catchUp, true);
    }

    private List<JobView> jobs(String token) {
        List<JobView> jobs = new ArrayList<>(shigoto.jobs(JobFilter.all().args(Map.of("token", token)), 0, 1000));
        jobs.sort((a, b) -> a.scheduledAt().compareTo(b.scheduledAt()));
        return jobs;
    }
}
