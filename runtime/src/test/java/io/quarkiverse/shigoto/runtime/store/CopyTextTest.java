package io.quarkiverse.shigoto.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class CopyTextTest {

    private static String written(CopyText rows) {
        return new String(Arrays.copyOf(rows.bytes(), rows.size()), StandardCharsets.UTF_8);
    }

    private static String text(String value) {
        return written(new CopyText(4).text(value));
    }

    @Test
    void backslashTabNewlineAndCarriageReturnAreEscaped() {
        assertThat(text("a\\b\tc\nd\re")).isEqualTo("a\\\\b\\tc\\nd\\re");
    }

    @Test
    void nullIsBackslashN() {
        assertThat(text(null)).isEqualTo("\\N");
        // the two characters \N in a value are escaped, so they never read as null
        assertThat(text("\\N")).isEqualTo("\\\\N");
    }

    @Test
    void nonAsciiTextIsUtf8AsStringGetBytesWritesIt() {
        for (String s : List.of("\u00e9t\u00e9", "\u2713 \u65e5\u672c", "emoji \uD83D\uDE00 end", "\u07ff\u0800\uffff",
                "lone \uD800 high", "lone \uDC00 low", "ends high \uD83D")) {
            byte[] expected = s.getBytes(StandardCharsets.UTF_8);
            CopyText rows = new CopyText(1).text(s);
            assertThat(Arrays.copyOf(rows.bytes(), rows.size())).as(s).isEqualTo(expected);
        }
    }

    @Test
    void theNulCharacterIsRefused() {
        assertThatThrownBy(() -> text("a\u0000b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NUL");
    }

    @Test
    void numbersAreDecimal() {
        CopyText rows = new CopyText(1);
        rows.number(0).tab().number(7).tab().number(-42).tab().number(Long.MAX_VALUE).tab().number(Long.MIN_VALUE);
        assertThat(written(rows)).isEqualTo("0\t7\t-42\t9223372036854775807\t-9223372036854775808");
    }

    @Test
    void timesAreIsoText() {
        Instant a = Instant.parse("2026-12-02T05:46:12.123456789Z"), b = Instant.parse("0001-01-01T00:00:00Z");
        assertThat(written(new CopyText(1).time(a).tab().time(a).tab().time(b).tab().time(a)))
                .isEqualTo(a + "\t" + a + "\t" + b + "\t" + a);
    }

    @Test
    void tagsAreAnArrayLiteralEscapedAsText() {
        assertThat(written(new CopyText(1).textArray(List.of()))).isEqualTo("{}");
        // the literal {"a\"b","c\\d","e\tf"}, then its backslashes and the tab escaped for COPY
        assertThat(written(new CopyText(1).textArray(List.of("a\"b", "c\\d", "e\tf"))))
                .isEqualTo("{\"a\\\\\"b\",\"c\\\\\\\\d\",\"e\\tf\"}");
    }

    @Test
    void aRowIsTabSeparatedAndEndsWithANewline() {
        CopyText rows = new CopyText(2);
        rows.number(1).tab().text("k").tab().text(null).endRow();
        rows.number(2).tab().text("\u00e9").tab().ascii("available").endRow();
        assertThat(written(rows)).isEqualTo("1\tk\t\\N\n2\t\u00e9\tavailable\n");
    }

    @Test
    void clearKeepsTheBufferForTheNextBlock() {
        CopyText rows = new CopyText(8);
        rows.text("a long value that grows the buffer");
        byte[] grown = rows.bytes();
        rows.clear();
        rows.text("b");
        assertThat(rows.bytes()).isSameAs(grown);
        assertThat(written(rows)).isEqualTo("b");
    }
}
