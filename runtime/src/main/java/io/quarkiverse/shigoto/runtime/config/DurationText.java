package io.quarkiverse.shigoto.runtime.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration texts of annotations: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or
 * ISO-8601 ({@code PT5M}). A bare number is rejected because its unit would be a guess.
 */
public final class DurationText {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private DurationText() {
    }

    /**
     * @param text the duration text
     * @return the duration
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Duration parse(String text) {
        Duration d = text == null ? null : tryParse(text.trim());
        if (d == null) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: use a number with a unit (250ms, 30s,"
                    + " 5m, 2h, 1d) or ISO-8601 such as PT5M");
        }
        return d;
    }

    private static Duration tryParse(String t) {
        try {
            Matcher m = SIMPLE.matcher(t);
            Duration d = null;
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } else if (t.startsWith("P") || t.startsWith("p")) {
                d = Duration.parse(t);
            }
            if (d != null) {
                // everything downstream works in milliseconds: a duration they cannot hold is no duration
                d.toMillis();
            }
            return d;
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            return null;
        }
    }
}
