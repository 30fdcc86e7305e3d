package io.quarkiverse.shigoto.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class PgArraysTest {

    @Test
    void anEmptyListIsAnEmptyArray() {
        assertThat(PgArrays.literal(List.of())).isEqualTo("{}");
    }

    @Test
    void everyElementIsQuoted() {
        assertThat(PgArrays.literal(List.of("mail", ""))).isEqualTo("{\"mail\",\"\"}");
    }

    @Test
    void quotesAndBackslashesAreEscapedWithABackslash() {
        assertThat(PgArrays.literal(List.of("say \"hi\""))).isEqualTo("{\"say \\\"hi\\\"\"}");
        assertThat(PgArrays.literal(List.of("C:\\tmp"))).isEqualTo("{\"C:\\\\tmp\"}");
    }

    @Test
    void commasBracesAndSpacesNeedNoEscapeInsideQuotes() {
        assertThat(PgArrays.literal(List.of("a,b", "{x}", " padded "))).isEqualTo("{\"a,b\",\"{x}\",\" padded \"}");
    }

    @Test
    void theWordNullStaysAString() {
        assertThat(PgArrays.literal(List.of("NULL"))).isEqualTo("{\"NULL\"}");
    }

    @Test
    void everyLiteralReadsBackAsTheSameList() {
        List<List<String>> samples = List.of(List.of(), List.of(""), List.of("a", "b"),
                List.of("\"", "\\", "\\\"", ",", "{", "}", "{\"a\",\"b\"}", "NULL", "tab\there", "line\nbreak"),
                List.of("trailing\\", "\"leading"));
        for (List<String> values : samples) {
            assertThat(parse(PgArrays.literal(values))).as("round trip of %s", values).isEqualTo(values);
        }
    }

    /** Reads a one-dimensional array literal whose elements are all quoted, as PostgreSQL's array_in does. */
    private static List<String> parse(String literal) {
        assertThat(literal).startsWith("{").endsWith("}");
        List<String> values = new ArrayList<>();
        int i = 1;
        while (literal.charAt(i) != '}') {
            assertThat(literal.charAt(i)).isEqualTo('"');
            StringBuilder value = new StringBuilder();
            for (i++; literal.charAt(i) != '"'; i++) {
                if (literal.charAt(i) == '\\') {
                    i++;
                }
                value.append(literal.charAt(i));
            }
            values.add(value.toString());
            i++;
            if (literal.charAt(i) == ',') {
                i++;
            }
        }
        assertThat(i).isEqualTo(literal.length() - 1);
        return values;
    }
}
