package io.quarkiverse.shigoto.runtime.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CronScheduleTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void rangesStepsAndListsSelectTheirMinutes() {
        assertThat(fires("*/15 9-10 * * *", ZoneOffset.UTC, "2024-01-01T08:59", 9)).containsExactly(
                "2024-01-01T09:00", "2024-01-01T09:15", "2024-01-01T09:30", "2024-01-01T09:45", "2024-01-01T10:00",
                "2024-01-01T10:15", "2024-01-01T10:30", "2024-01-01T10:45", "2024-01-02T09:00");
        assertThat(fires("5,10-12 0 1 * *", ZoneOffset.UTC, "2024-01-01T00:00", 5)).containsExactly(
                "2024-01-01T00:05", "2024-01-01T00:10", "2024-01-01T00:11", "2024-01-01T00:12", "2024-02-01T00:05");
        assertThat(fires("1-10/4 0 1 1 *", ZoneOffset.UTC, "2024-01-01T00:00", 3)).containsExactly(
                "2024-01-01T00:01", "2024-01-01T00:05", "2024-01-01T00:09");
    }

    @Test
    void monthAndDayNamesAreCaseInsensitiveAndSevenIsSunday() {
        assertThat(fires("0 0 1 jan,JUL *", ZoneOffset.UTC, "2024-01-01T00:00", 2)).containsExactly(
                "2024-07-01T00:00", "2025-01-01T00:00");
        // 2024-01-07 is a Sunday
        assertThat(fires("0 12 * * sun", ZoneOffset.UTC, "2024-01-01T00:00", 1)).containsExactly("2024-01-07T12:00");
        assertThat(fires("0 12 * * 7", ZoneOffset.UTC, "2024-01-01T00:00", 1)).containsExactly("2024-01-07T12:00");
        assertThat(fires("0 12 * * Mon-Wed", ZoneOffset.UTC, "2024-01-01T12:00", 3)).containsExactly(
                "2024-01-02T12:00", "2024-01-03T12:00", "2024-01-08T12:00");
    }

    @Test
    void nicknamesMeanTheirFiveFields() {
        String from = "2024-01-01T00:30"; // a Monday
        assertThat(fires("@hourly", ZoneOffset.UTC, from, 1)).containsExactly("2024-01-01T01:00");
        assertThat(fires("@daily", ZoneOffset.UTC, from, 1)).containsExactly("2024-01-02T00:00");
        assertThat(fires("@midnight", ZoneOffset.UTC, from, 1)).containsExactly("2024-01-02T00:00");
        assertThat(fires("@weekly", ZoneOffset.UTC, from, 1)).containsExactly("2024-01-07T00:00");
        assertThat(fires("@monthly", ZoneOffset.UTC, from, 1)).containsExactly("2024-02-01T00:00");
        assertThat(fires("@yearly", ZoneOffset.UTC, from, 1)).containsExactly("2025-01-01T00:00");
        assertThat(fires("@annually", ZoneOffset.UTC, from, 1)).containsExactly("2025-01-01T00:00");
        assertThat(fires("@DAILY", ZoneOffset.UTC, from, 1)).containsExactly("2024-01-02T00:00");
    }

    @Test
    void restrictedDayOfMonthAndDayOfWeekFireOnEitherAsInVixieCron() {
        // Fridays, and the 13th whatever its weekday: 2024-09-13 is a Friday, 2024-10-13 a Sunday
        assertThat(fires("0 0 13 * FRI", ZoneOffset.UTC, "2024-09-26T00:00", 4)).containsExactly(
                "2024-09-27T00:00", "2024-10-04T00:00", "2024-10-11T00:00", "2024-10-13T00:00");
        assertThat(fires("0 0 1 * MON", ZoneOffset.UTC, "2024-06-27T00:00", 3)).containsExactly(
                "2024-07-01T00:00", "2024-07-08T00:00", "2024-07-15T00:00");
    }

    @Test
    void aDayFieldStartingWithAStarLeavesTheDayToBothFieldsAsInVixieCron() {
        // odd days that are Mondays: 2024-01-01, 2024-01-15, 2024-01-29
        assertThat(fires("0 0 */2 * MON", ZoneOffset.UTC, "2023-12-31T00:00", 3)).containsExactly(
                "2024-01-01T00:00", "2024-01-15T00:00", "2024-01-29T00:00");
        // a restricted day of month with a * day of week is that day only
        assertThat(fires("0 0 13 * *", ZoneOffset.UTC, "2024-01-01T00:00", 2)).containsExactly(
                "2024-01-13T00:00", "2024-02-13T00:00");
    }

    @Test
    void aFixedTimeInTheSpringForwardGapRunsOnceWhenTheGapEnds() {
        // New York, 2024-03-10: 02:00 EST becomes 03:00 EDT (07:00Z), so 02:30 does not exist that day
        assertThat(utc("30 2 * * *", NEW_YORK, "2024-03-09T12:00Z", 3)).containsExactly(
                "2024-03-10T07:00:00Z", "2024-03-11T06:30:00Z", "2024-03-12T06:30:00Z");
        // Berlin, 2024-03-31: 02:00 CET becomes 03:00 CEST (01:00Z)
        assertThat(utc("30 2 * * *", BERLIN, "2024-03-30T12:00Z", 2)).containsExactly(
                "2024-03-31T01:00:00Z", "2024-04-01T00:30:00Z");
    }

    @Test
    void aFixedTimeInTheFallBackHourRunsOnce() {
        // New York, 2024-11-03: 01:00-02:00 happens twice, first in EDT (05:00Z-06:00Z), then in EST (06:00Z-07:00Z)
        assertThat(utc("30 1 * * *", NEW_YORK, "2024-11-02T12:00Z", 2)).containsExactly(
                "2024-11-03T05:30:00Z", "2024-11-04T06:30:00Z");
        // Berlin, 2024-10-27: 02:00-03:00 happens twice, from 00:00Z in CEST, from 01:00Z in CET
        assertThat(utc("30 2 * * *", BERLIN, "2024-10-26T12:00Z", 2)).containsExactly(
                "2024-10-27T00:30:00Z", "2024-10-28T01:30:00Z");
        // asked from inside the second pass, it does not fire again that day
        assertThat(utc("45 1 * * *", NEW_YORK, "2024-11-03T06:10Z", 1)).containsExactly("2024-11-04T06:45:00Z");
    }

    @Test
    void wildcardEntriesFollowRealTimeThroughBothTransitions() {
        // every 30 minutes by the clock on the wall: the gap's wall-clock minutes do not exist
        assertThat(utc("*/30 * * * *", NEW_YORK, "2024-03-10T06:00Z", 3)).containsExactly(
                "2024-03-10T06:30:00Z", "2024-03-10T07:00:00Z", "2024-03-10T07:30:00Z");
        // hourly keeps an hour between runs through the repeated hour, whose 01:00 comes twice
        assertThat(utc("@hourly", NEW_YORK, "2024-11-03T04:30Z", 4)).containsExactly(
                "2024-11-03T05:00:00Z", "2024-11-03T06:00:00Z", "2024-11-03T07:00:00Z", "2024-11-03T08:00:00Z");
        // Berlin's 02:00-03:00 comes twice on 2024-10-27; asked at 02:50 CEST, the CET pass follows
        assertThat(utc("*/20 2 * * *", BERLIN, "2024-10-27T00:50Z", 4)).containsExactly(
                "2024-10-27T01:00:00Z", "2024-10-27T01:20:00Z", "2024-10-27T01:40:00Z", "2024-10-28T01:00:00Z");
        assertThat(utc("10 * * * *", BERLIN, "2024-10-27T00:30Z", 3)).containsExactly(
                "2024-10-27T01:10:00Z", "2024-10-27T02:10:00Z", "2024-10-27T03:10:00Z");
    }

    @Test
    void wildcardEntriesAskedDuringTheFirstPassStillSeeTheSecond() {
        assertThat(utc("0 * * * *", NEW_YORK, "2024-11-03T05:59Z", 2)).containsExactly(
                "2024-11-03T06:00:00Z", "2024-11-03T07:00:00Z");
    }

    @Test
    void aLeapDayEntryFiresEveryFourYears() {
        assertThat(fires("0 0 29 2 *", ZoneOffset.UTC, "2024-03-01T00:00", 2)).containsExactly(
                "2028-02-29T00:00", "2032-02-29T00:00");
    }

    @Test
    void invalidExpressionsSayWhatIsWrong() {
        assertThatThrownBy(() -> CronSchedule.parse("61 * * * *", ZoneOffset.UTC))
                .hasMessage("Value 61 not in range [0, 59]");
        assertThatThrownBy(() -> CronSchedule.parse("* * * *", ZoneOffset.UTC)).hasMessage("it has 4 fields; expected 5"
                + " (minute hour day-of-month month day-of-week) or one of @hourly, @daily, @midnight, @weekly,"
                + " @monthly, @yearly, @annually");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 30 2 *", ZoneOffset.UTC))
                .hasMessage("it never fires (no date matches its day and month)");
        assertThatThrownBy(() -> CronSchedule.parse("@reboot", ZoneOffset.UTC)).hasMessage("@reboot is not a nickname shigoto"
                + " knows; use @hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 L * *", ZoneOffset.UTC)).hasMessageContaining("L");
        assertThatThrownBy(() -> CronSchedule.parse("  ", ZoneOffset.UTC)).hasMessage("the expression is empty");
        assertThat(CronSchedule.problem("0 0 * * *", "Mars/Olympus"))
                .isEqualTo("unknown time zone 'Mars/Olympus' (use an IANA name such as Europe/Berlin)");
        assertThat(CronSchedule.problem("0 0 * * *", "Europe/Berlin")).isNull();
    }

    @Test
    void theExpressionIsNormalised() {
        assertThat(CronSchedule.parse("  0   0 * *  *", ZoneOffset.UTC).expression()).isEqualTo("0 0 * * *");
        assertThat(CronSchedule.zone("").getId()).isEqualTo("UTC");
    }

    /** @return the next {@code count} runs after a wall-clock time, as wall-clock times of the zone */
    private static List<String> fires(String expression, ZoneId zone, String fromLocal, int count) {
        Instant from = LocalDateTime.parse(fromLocal).atZone(zone).toInstant();
        List<String> out = new ArrayList<>();
        for (String at : utc(expression, zone, from.toString(), count)) {
            out.add(LocalDateTime.ofInstant(Instant.parse(at), zone).toString());
        }
        return out;
    }

    /** @return the next {@code count} runs after an instant, as UTC instants */
    private static List<String> utc(String expression, ZoneId zone, String from, int count) {
        CronSchedule schedule = CronSchedule.parse(expression, zone);
        List<String> out = new ArrayList<>();
        Instant at = Instant.parse(from.length() == 17 ? from.replace("Z", ":00Z") : from);
        for (int i = 0; i < count; i++) {
            at = schedule.next(at);
            out.add(at.toString());
        }
        return out;
    }
}
