package io.quarkiverse.shigoto.runtime.maintenance;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Locale;

import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

/**
 * A parsed cron expression in a time zone: standard 5-field syntax, month and day names, the {@code @hourly} family,
 * evaluated as Vixie cron does.
 * <p>
 * cron-utils parses the expression and finds the wall-clock times that match it, always in UTC, where no clock
 * jumps. This class then maps those wall-clock times to instants in the entry's zone, with Vixie cron's rules for
 * daylight saving time, which cron-utils does not have (it skips a time that falls into a spring-forward gap):
 * <ul>
 * <li>a fixed-time entry (neither minute nor hour starts with {@code *}) whose time falls into a gap runs once, at the
 * instant the gap ends; in a repeated (fall-back) hour it runs at the first pass only;</li>
 * <li>a wildcard entry ({@code *}&hellip; in minute or hour) runs by real time: not for the wall-clock minutes a gap
 * skips, and in both passes of a repeated hour.</li>
 * </ul>
 * Day of month and day of week combine as in Vixie cron: when both are restricted (neither starts with {@code *}), a
 * day matching either fires; otherwise a day must match both. cron-utils picks OR or AND for a whole definition, so
 * there are two parsers and the expression chooses.
 */
public final class CronSchedule {

    /** The zone of entries that name none. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("UTC");

    private static final CronParser EITHER_DAY = new CronParser(definition(false));
    private static final CronParser BOTH_DAYS = new CronParser(definition(true));
    // far enough to reach the next 29 February of a leap-day entry whatever the year, and on to the next match after a
    // long run of gap minutes a wildcard entry skips
    private static final int MAX_STEPS = 10_000;
    private static final String NICKNAMES = "@hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually";

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime times;
    private final boolean wildcard;

    private CronSchedule(String expression, ZoneId zone, ExecutionTime times, boolean wildcard) {
        this.expression = expression;
        this.zone = zone;
        this.times = times;
        this.wildcard = wildcard;
    }

    /**
     * @param expression five fields ({@code "30 2 * * MON-FRI"}) or a nickname ({@code "@daily"})
     * @param zone the zone the expression's wall-clock times are in
     * @return the schedule
     * @throws IllegalArgumentException saying what is wrong with the expression, or that it never fires
     */
    public static CronSchedule parse(String expression, ZoneId zone) {
        String text = expression == null ? "" : expression.trim().replaceAll("\\s+", " ");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the expression is empty");
        }
        if (text.startsWith("@")) {
            text = text.toLowerCase(Locale.ROOT);
        }
        String[] fields = text.split(" ");
        boolean nickname = fields.length == 1 && text.startsWith("@");
        // Vixie cron: a day field starting with * (also */2) leaves the day to the other field, so both must match
        boolean bothDays = nickname || fields.length == 5 && (fields[2].startsWith("*") || fields[4].startsWith("*"));
        ExecutionTime times;
        try {
            times = ExecutionTime.forCron((bothDays ? BOTH_DAYS : EITHER_DAY).parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(reason(e.getMessage()));
        }
        boolean wildcard = nickname ? text.equals("@hourly")
                : fields.length == 5 && (fields[0].startsWith("*") || fields[1].startsWith("*"));
        CronSchedule schedule = new CronSchedule(text, zone, times, wildcard);
        if (times.nextExecution(ZonedDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)).isEmpty()) {
            throw new IllegalArgumentException("it never fires (no date matches its day and month)");
        }
        return schedule;
    }

    /**
     * @param expression a cron expression
     * @param zone a zone id, or empty for {@link #DEFAULT_ZONE}
     * @return {@code null} when both are valid, otherwise why not; for the build's validation
     */
    public static String problem(String expression, String zone) {
        try {
            parse(expression, zone(zone));
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * @param zone an IANA zone id ({@code Europe/Berlin}), an offset, or empty for {@link #DEFAULT_ZONE}
     * @return the zone
     * @throws IllegalArgumentException naming an unknown zone
     */
    public static ZoneId zone(String zone) {
        if (zone == null || zone.isBlank()) {
            return DEFAULT_ZONE;
        }
        try {
            return ZoneId.of(zone.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + zone + "' (use an IANA name such as Europe/Berlin)");
        }
    }

    /** @return the expression, normalised (single spaces, lower-case nickname) */
    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /**
     * @param after an instant
     * @return the first instant strictly after it at which the schedule fires (whole minutes), or {@code null} if it
     *         never fires again
     */
    public Instant next(Instant after) {
        ZoneRules rules = zone.getRules();
        LocalDateTime local = searchStart(after, rules);
        Instant best = null;
        for (int step = 0; step < MAX_STEPS; step++) {
            ZonedDateTime match = times.nextExecution(local.atZone(ZoneOffset.UTC)).orElse(null);
            if (match == null) {
                return best;
            }
            local = match.toLocalDateTime();
            List<ZoneOffset> offsets = rules.getValidOffsets(local);
            // the earliest instant of a wall-clock time only grows with it: once past the best, nothing comes earlier
            Instant earliest = offsets.isEmpty() ? rules.getTransition(local).getInstant() : earliest(local, offsets);
            if (best != null && !earliest.isBefore(best)) {
                return best;
            }
            best = earlier(best, fireAfter(after, local, offsets, earliest));
        }
        return best;
    }

    /**
     * Where to look for wall-clock matches: just after {@code after}; but for a wildcard entry near a repeated hour,
     * from the start of that hour, whose wall-clock times fire again in its second pass.
     */
    private LocalDateTime searchStart(Instant after, ZoneRules rules) {
        if (wildcard) {
            for (ZoneOffsetTransition t : new ZoneOffsetTransition[] { rules.previousTransition(after.plusNanos(1)),
                    rules.nextTransition(after) }) {
                if (t != null && t.isOverlap()) {
                    Duration repeated = t.getDuration().abs();
                    if (!after.isBefore(t.getInstant().minus(repeated))
                            && after.isBefore(t.getInstant().plus(repeated))) {
                        return t.getDateTimeAfter().minusNanos(1);
                    }
                }
            }
        }
        return LocalDateTime.ofInstant(after, zone);
    }

    /** @return the instant a matching wall-clock time fires at, if it is after {@code after}, else {@code null} */
    private Instant fireAfter(Instant after, LocalDateTime local, List<ZoneOffset> offsets, Instant earliest) {
        if (offsets.isEmpty()) {
            // in a spring-forward gap: a fixed time runs when the gap ends, a wildcard minute does not exist
            return !wildcard && earliest.isAfter(after) ? earliest : null;
        }
        if (earliest.isAfter(after)) {
            return earliest;
        }
        if (offsets.size() == 2 && wildcard) {
            Instant second = latest(local, offsets);
            return second.isAfter(after) ? second : null;
        }
        return null;
    }

    private static Instant earliest(LocalDateTime local, List<ZoneOffset> offsets) {
        Instant a = local.toInstant(offsets.get(0));
        return offsets.size() == 1 ? a : earlier(a, local.toInstant(offsets.get(1)));
    }

    private static Instant latest(LocalDateTime local, List<ZoneOffset> offsets) {
        Instant a = local.toInstant(offsets.get(0));
        Instant b = local.toInstant(offsets.get(1));
        return a.isAfter(b) ? a : b;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    /** cron-utils prefixes most reasons with a generic sentence: keep the part that says what is wrong. */
    private static String reason(String message) {
        String m = message == null ? "invalid expression" : message;
        m = m.replace("Failed to parse cron expression. ", "");
        if (m.startsWith("Nickname ")) {
            return m.substring("Nickname ".length()).split(" ")[0] + " is not a nickname shigoto knows; use " + NICKNAMES;
        }
        if (m.startsWith("Cron expression contains ")) {
            String count = m.substring("Cron expression contains ".length()).split(" ")[0];
            return "it has " + count + " fields; expected 5 (minute hour day-of-month month day-of-week) or one of "
                    + NICKNAMES;
        }
        return m;
    }

    @Override
    public String toString() {
        return expression + " (" + zone + ")";
    }

    private static CronDefinition definition(boolean bothDays) {
        CronDefinitionBuilder b = CronDefinitionBuilder.defineCron()
                .withMinutes().withValidRange(0, 59).withStrictRange().and()
                .withHours().withValidRange(0, 23).withStrictRange().and()
                .withDayOfMonth().withValidRange(1, 31).withStrictRange().and()
                .withMonth().withValidRange(1, 12).withStrictRange().and()
                .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).withStrictRange().and()
                .withSupportedNicknameYearly().withSupportedNicknameAnnually().withSupportedNicknameMonthly()
                .withSupportedNicknameWeekly().withSupportedNicknameDaily().withSupportedNicknameMidnight()
                .withSupportedNicknameHourly();
        return (bothDays ? b.matchDayOfWeekAndDayOfMonth() : b).instance();
    }
}
