package io.quarkiverse.shigoto.runtime.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.CronView;
import io.quarkiverse.shigoto.runtime.config.ShigotoConfig.CronConfig;
import io.quarkiverse.shigoto.runtime.store.CronStore.CronRow;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.quarkiverse.shigoto.runtime.worker.WorkerDefinition;

class CronEntriesTest {

    private static final WorkerCatalog CATALOG = new WorkerCatalog(List.of(
            worker("report", "reports", "@daily", "Europe/Berlin"),
            worker("cleanup", "default", null, null)));

    @Test
    void aWorkerEntryIsNamedAfterItsKindAndConfigurationChangesIt() {
        CronEntries entries = CronEntries.resolve(Map.of("report", conf().schedule("0 4 * * *").enabled(false)),
                Duration.ofHours(1), CATALOG);
        assertThat(entries.all()).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("report");
            assertThat(e.kind()).isEqualTo("report");
            assertThat(e.scheduleKey()).isEqualTo("0 4 * * * Europe/Berlin");
            assertThat(e.enabled()).isFalse();
        });
        assertThat(entries.enabled()).isEmpty();
    }

    @Test
    void aConfiguredEntryInsertsTheKindOfItsNameUnlessItNamesOne() {
        CronEntries entries = CronEntries.resolve(Map.of("cleanup", conf().schedule("*/5 * * * *"),
                "purge", conf().schedule("@hourly").kind("cleanup").args("{\"table\": \"sessions\"}").queue("slow")
                        .catchUp(Duration.ofMinutes(5))),
                Duration.ofHours(1), CATALOG);
        assertThat(entries.all()).extracting(CronEntry::name).containsExactly("cleanup", "purge", "report");
        CronEntry purge = entries.all().get(1);
        assertThat(purge.kind()).isEqualTo("cleanup");
        assertThat(purge.args()).isEqualTo(Map.of("table", "sessions"));
        assertThat(purge.catchUp()).isEqualTo(Duration.ofMinutes(5));
        assertThat(purge.request(Instant.parse("2030-01-01T10:00:00Z")).queue()).isEqualTo("slow");
        assertThat(entries.all().get(0).kind()).isEqualTo("cleanup");
        assertThat(entries.all().get(0).catchUp()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void viewsShowTheLastRunAndTheNextOneAfterTheCursor() {
        CronEntries entries = CronEntries.resolve(Map.of("cleanup", conf().schedule("*/5 * * * *"),
                "off", conf().schedule("@daily").kind("cleanup").enabled(false)), Duration.ofHours(1), CATALOG);
        Instant now = Instant.parse("2030-01-01T10:07:30Z");
        Map<String, CronRow> rows = Map.of("cleanup", new CronRow("cleanup", "*/5 * * * * UTC",
                Instant.parse("2030-01-01T10:05:00Z"), Instant.parse("2030-01-01T10:05:00Z"), 42L));
        List<CronView> views = entries.views(rows, CATALOG, now);
        assertThat(views).extracting(CronView::name).containsExactly("cleanup", "off", "report");
        assertThat(views.get(0).lastRunAt()).isEqualTo(Instant.parse("2030-01-01T10:05:00Z"));
        assertThat(views.get(0).lastJobId()).isEqualTo(42L);
        assertThat(views.get(0).nextRunAt()).isEqualTo(Instant.parse("2030-01-01T10:10:00Z"));
        assertThat(views.get(0).queue()).isEqualTo("default");
        assertThat(views.get(1).nextRunAt()).isNull();
        // never ticked: the next run is the current minute's if it matches, else the next match
        assertThat(views.get(2).lastRunAt()).isNull();
        assertThat(views.get(2).timezone()).isEqualTo("Europe/Berlin");
        assertThat(views.get(2).nextRunAt()).isEqualTo(Instant.parse("2030-01-01T23:00:00Z"));
    }

    private static WorkerDefinition worker(String kind, String queue, String cron, String zone) {
        return new WorkerDefinition(kind, "com.acme." + kind, queue, 0, 3, 1000, List.of(), false, null, List.of(), 0, 0,
                0, cron, zone, null, false, null, false);
    }

    private static Conf conf() {
        return new Conf(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(),
                Optional.empty(), Optional.empty(), true, Optional.empty());
    }

    /** Configuration of one entry, built up by named steps. */
    private record Conf(Optional<String> schedule, Optional<String> kind, Optional<String> args,
            Optional<String> queue, OptionalInt priority, Optional<List<String>> tags, Optional<String> timezone,
            boolean enabled, Optional<Duration> catchUp) implements CronConfig {

        Conf schedule(String s) {
            return new Conf(Optional.of(s), kind, args, queue, priority, tags, timezone, enabled, catchUp);
        }

        Conf kind(String k) {
            return new Conf(schedule, Optional.of(k), args, queue, priority, tags, timezone, enabled, catchUp);
        }

        Conf args(String a) {
            return new Conf(schedule, kind, Optional.of(a), queue, priority, tags, timezone, enabled, catchUp);
        }

        Conf queue(String q) {
            return new Conf(schedule, kind, args, Optional.of(q), priority, tags, timezone, enabled, catchUp);
        }

        Conf enabled(boolean e) {
            return new Conf(schedule, kind, args, queue, priority, tags, timezone, e, catchUp);
        }

        Conf catchUp(Duration d) {
            return new Conf(schedule, kind, args, queue, priority, tags, timezone, enabled, Optional.of(d));
        }
    }
}
