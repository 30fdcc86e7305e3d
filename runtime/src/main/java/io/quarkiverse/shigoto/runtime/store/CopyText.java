package io.quarkiverse.shigoto.runtime.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Rows in PostgreSQL's {@code COPY ... FROM STDIN} text format, encoded as UTF-8 straight into one reusable byte
 * buffer: no String per row or field, no copy of the bytes before they go out. Backslash, tab, newline and carriage
 * return are escaped, {@code null} is {@code \N}; a NUL character is refused, since PostgreSQL can store it in no text
 * column. An unpaired surrogate becomes {@code ?}, as {@link String#getBytes} writes it.
 */
final class CopyText {

    private final StringBuilder literal = new StringBuilder(64);
    private byte[] buf;
    private int size;
    /** The last timestamp written and its text: most rows of a batch share their schedule and insert time. */
    private Instant lastTime;
    private byte[] lastTimeText;

    CopyText(int capacity) {
        this.buf = new byte[capacity];
    }

    /** @return how many bytes are waiting */
    int size() {
        return size;
    }

    /** @return the buffer, valid up to {@link #size()} until the next write */
    byte[] bytes() {
        return buf;
    }

    /** Forgets what was written, keeping the buffer. */
    void clear() {
        size = 0;
    }

    CopyText tab() {
        ensure(1);
        buf[size++] = '\t';
        return this;
    }

    CopyText endRow() {
        ensure(1);
        buf[size++] = '\n';
        return this;
    }

    CopyText number(long value) {
        ensure(20);
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                return ascii(Long.toString(value));
            }
            buf[size++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        int at = size + digits;
        size = at;
        do {
            buf[--at] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        return this;
    }

    /** A timestamp as ISO-8601 text, which {@code timestamptz} reads. */
    CopyText time(Instant value) {
        if (!value.equals(lastTime)) {
            lastTime = value;
            lastTimeText = value.toString().getBytes(StandardCharsets.US_ASCII);
        }
        ensure(lastTimeText.length);
        System.arraycopy(lastTimeText, 0, buf, size, lastTimeText.length);
        size += lastTimeText.length;
        return this;
    }

    /** A text field, escaped; {@code null} is SQL NULL. */
    CopyText text(CharSequence value) {
        if (value == null) {
            ensure(2);
            buf[size++] = '\\';
            buf[size++] = 'N';
            return this;
        }
        int n = value.length();
        // every char takes at most 3 bytes (a surrogate pair takes 4 for 2 chars); an escape takes 2
        ensure(n * 3);
        byte[] b = buf;
        int at = size;
        for (int i = 0; i < n; i++) {
            char ch = value.charAt(i);
            if (ch < 0x80) {
                switch (ch) {
                    case '\\' -> {
                        b[at++] = '\\';
                        b[at++] = '\\';
                    }
                    case '\t' -> {
                        b[at++] = '\\';
                        b[at++] = 't';
                    }
                    case '\n' -> {
                        b[at++] = '\\';
                        b[at++] = 'n';
                    }
                    case '\r' -> {
                        b[at++] = '\\';
                        b[at++] = 'r';
                    }
                    case '\0' -> throw new IllegalArgumentException(
                            "contains the NUL character (U+0000), which PostgreSQL cannot store in text");
                    default -> b[at++] = (byte) ch;
                }
            } else if (ch < 0x800) {
                b[at++] = (byte) (0xc0 | ch >> 6);
                b[at++] = (byte) (0x80 | ch & 0x3f);
            } else if (Character.isSurrogate(ch)) {
                char low = i + 1 < n ? value.charAt(i + 1) : 0;
                if (Character.isHighSurrogate(ch) && Character.isLowSurrogate(low)) {
                    int cp = Character.toCodePoint(ch, low);
                    i++;
                    b[at++] = (byte) (0xf0 | cp >> 18);
                    b[at++] = (byte) (0x80 | cp >> 12 & 0x3f);
                    b[at++] = (byte) (0x80 | cp >> 6 & 0x3f);
                    b[at++] = (byte) (0x80 | cp & 0x3f);
                } else {
                    b[at++] = '?';
                }
            } else {
                b[at++] = (byte) (0xe0 | ch >> 12);
                b[at++] = (byte) (0x80 | ch >> 6 & 0x3f);
                b[at++] = (byte) (0x80 | ch & 0x3f);
            }
        }
        size = at;
        return this;
    }

    /**
     * A {@code text[]} field: the array literal {@link PgArrays#literal} writes (every element quoted, quotes and
     * backslashes escaped inside), then escaped as text.
     */
    CopyText textArray(List<String> values) {
        if (values.isEmpty()) {
            return ascii("{}");
        }
        literal.setLength(0);
        return text(PgArrays.append(literal, values));
    }

    /** Text known to need no escaping (digits, names of states). */
    CopyText ascii(String value) {
        int n = value.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[size++] = (byte) value.charAt(i);
        }
        return this;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
