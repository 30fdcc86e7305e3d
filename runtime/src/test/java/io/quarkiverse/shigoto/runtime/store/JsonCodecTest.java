package io.quarkiverse.shigoto.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.JobError;

class JsonCodecTest {

    private static final String NOT_JSON = ", which is not a JSON value: use String, Number, Boolean, List, Map or null";

    @Test
    void scalarsAreJsonValues() {
        for (Object value : Arrays.asList(null, "text", true, 1, 2L, 1.5d, 2.5f, (short) 3, (byte) 4,
                new BigDecimal("1.25"), new BigInteger("123456789012345678901234567890"))) {
            assertThatCode(() -> JsonCodec.writeValue(value, "args")).as("%s", value).doesNotThrowAnyException();
        }
    }

    @Test
    void nestedMapsAndCollectionsOfJsonValuesAreJsonValues() {
        Map<String, Object> nullable = new HashMap<>();
        nullable.put("none", null);
        Object args = Map.of("user", Map.of("id", 7, "roles", List.of("admin", Map.of("since", 2020))),
                "ids", Set.of(1, 2), "empty", List.of(), "nullable", nullable);
        assertThatCode(() -> JsonCodec.writeValue(args, "args")).doesNotThrowAnyException();
    }

    @Test
    void nanAndInfinityAreRejectedNamingThePath() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JsonCodec.writeValue(Map.of("ratio", Double.NaN), "args"))
                .withMessage("args.ratio is NaN, which JSON cannot represent");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JsonCodec.writeValue(List.of(1f, Float.POSITIVE_INFINITY), "result"))
                .withMessage("result[1] is Infinity, which JSON cannot represent");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JsonCodec.writeValue(Double.NEGATIVE_INFINITY, "args.x"))
                .withMessage("args.x is -Infinity, which JSON cannot represent");
    }

    @Test
    void aNonStringKeyIsRejectedNamingThePath() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JsonCodec.writeValue(Map.of("user", Map.of(42, "x")), "args"))
                .withMessage("args.user has a non-string key 42 (java.lang.Integer)");
    }

    @Test
    void aMapThatHoldsItselfIsRejectedNamingThePath() {
        Map<String, Object> self = new HashMap<>();
        self.put("self", self);
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.writeValue(self, "args"))
                .withMessageStartingWith("args.self contains itself");
    }

    @Test
    void aMapThatHoldsItselfDeeperDownIsRejected() {
        Map<String, Object> outer = new HashMap<>();
        List<Object> list = new ArrayList<>();
        list.add(Map.of("back", outer));
        outer.put("items", list);
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.writeValue(Map.of("job", outer), "meta"))
                .withMessageStartingWith("meta.job.items[0].back contains itself");
        List<Object> selfList = new ArrayList<>();
        selfList.add(selfList);
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.writeValue(Map.of("l", selfList), "args"))
                .withMessageStartingWith("args.l[0] contains itself");
    }

    @Test
    void theSameMapTwiceSideBySideIsNoCycle() {
        Map<String, Object> shared = Map.of("a", 1);
        assertThat(JsonCodec.writeValue(List.of(shared, shared, Map.of("x", shared)), "args"))
                .isEqualTo("[{\"a\":1},{\"a\":1},{\"x\":{\"a\":1}}]");
    }

    @Test
    void nestingDeeperThanTheReaderAcceptsIsRejected() {
        Object deep = 1;
        for (int i = 0; i < 5_000; i++) {
            deep = List.of(deep);
        }
        Object tooDeep = deep;
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.writeValue(tooDeep, "args"))
                .withMessageEndingWith("nests maps and collections deeper than 1000 levels");
        Object fine = 1;
        for (int i = 0; i < 900; i++) {
            fine = List.of(fine);
        }
        assertThat(JsonCodec.readValue(JsonCodec.writeValue(fine, "args"))).isEqualTo(fine);
    }

    @Test
    void anArbitraryObjectIsRejectedNamingThePathAndItsType() {
        Object args = Map.of("user", Map.of("thread", new Thread()));
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.writeValue(args, "args"))
                .withMessage("args.user.thread is a java.lang.Thread" + NOT_JSON);
    }

    @Test
    void anObjectInAListIsNamedByItsIndex() {
        Object args = Map.of("items", List.of("a", Instant.EPOCH));
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.writeValue(args, "args"))
                .withMessage("args.items[1] is a java.time.Instant" + NOT_JSON);
    }

    @Test
    void numbersOtherThanTheStandardOnesAreRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> JsonCodec.writeValue(new AtomicInteger(), "args.n"))
                .withMessage("args.n is a java.util.concurrent.atomic.AtomicInteger" + NOT_JSON);
    }

    @Test
    void readObjectReadsAJsonObject() {
        assertThat(JsonCodec.readObject("{\"to\":\"ada\",\"n\":[1,2.5,true,null],\"m\":{}}"))
                .isEqualTo(Map.of("to", "ada", "n", Arrays.asList(1, 2.5, true, null), "m", Map.of()));
        assertThat(JsonCodec.readObject("  {}")).isEmpty();
        assertThat(JsonCodec.readObject(null)).isEmpty();
    }

    @Test
    void readObjectRejectsAnythingButAnObject() {
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.readObject("[1,2]"))
                .withMessage("expected a JSON object, found [1,2]");
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.readObject(" \"text\""))
                .withMessage("expected a JSON object, found \"text\"");
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.readObject("42"))
                .withMessage("expected a JSON object, found 42");
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.readObject("null"))
                .withMessage("expected a JSON object, found null");
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.readObject("   "))
                .withMessage("expected a JSON object, found nothing");
    }

    @Test
    void readObjectShortensALongNonObjectInItsMessage() {
        String list = "[" + "1,".repeat(50) + "1]";
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.readObject(list))
                .withMessage("expected a JSON object, found " + list.substring(0, 40) + "...");
    }

    @Test
    void readObjectRejectsMalformedJson() {
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.readObject("{\"a\":"));
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.readObject("{a:1}"));
    }

    @Test
    void readObjectRejectsNestingDeeperThanJacksonAllows() {
        int depth = 5_000;
        String deep = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.readObject(deep))
                .withMessageContaining("nesting depth");
    }

    @Test
    void readValueRejectsArraysNestedDeeperThanJacksonAllows() {
        int depth = 5_000;
        String deep = "[".repeat(depth) + "]".repeat(depth);
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.readValue(deep))
                .withMessageContaining("nesting depth");
    }

    @Test
    void readValueReadsAnyJsonValue() {
        assertThat(JsonCodec.readValue("\"done\"")).isEqualTo("done");
        assertThat(JsonCodec.readValue("[1,{\"a\":true}]")).isEqualTo(List.of(1, Map.of("a", true)));
        assertThat(JsonCodec.readValue("null")).isNull();
        assertThat(JsonCodec.readValue(null)).isNull();
    }

    @Test
    void writeRejectsAValueJacksonCannotWrite() {
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.write(new Object()));
    }

    @Test
    void errorsReadBackAsWritten() {
        JobError withTrace = new JobError(1, Instant.parse("2024-05-01T10:15:30.123456Z"),
                "java.lang.IllegalStateException", "boom \"quoted\"\nsecond line", "java.lang.IllegalStateException\n\tat x");
        JobError withoutTrace = new JobError(2, Instant.parse("2024-05-01T10:20:00Z"), "timeout", "ran over 5s", null);
        String stored = "[" + JsonCodec.writeError(withTrace) + "," + JsonCodec.writeError(withoutTrace) + "]";
        assertThat(JsonCodec.readErrors(stored)).containsExactly(withTrace, withoutTrace);
    }

    @Test
    void anErrorWithoutAStackTraceStoresNoStackTraceField() {
        String json = JsonCodec.writeError(new JobError(3, Instant.EPOCH, "cancelled", "stop", null));
        assertThat(JsonCodec.readObject(json)).containsOnlyKeys("attempt", "at", "type", "message")
                .containsEntry("attempt", 3).containsEntry("at", "1970-01-01T00:00:00Z");
    }

    @Test
    void noStoredErrorsReadAsAnEmptyList() {
        assertThat(JsonCodec.readErrors(null)).isEmpty();
        assertThat(JsonCodec.readErrors("")).isEmpty();
        assertThat(JsonCodec.readErrors("[]")).isEmpty();
    }

    @Test
    void readErrorsAnswersAnUnmodifiableList() {
        List<JobError> errors = JsonCodec
                .readErrors("[" + JsonCodec.writeError(new JobError(1, Instant.EPOCH, "error", "x", null)) + "]");
        assertThatThrownBy(() -> errors.add(errors.get(0))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void writeValueProducesJsonThatReadsBackToTheSameValue() {
        Map<String, Object> value = new java.util.LinkedHashMap<>();
        value.put("text", "quote \" backslash \\ newline \n tab \t cr \r bell \u0007 unit \u001f é ✓ 😀");
        value.put("numbers", java.util.List.of(0, -1, Long.MAX_VALUE, 1.5, -0.25, new java.math.BigDecimal("1e-30"),
                new java.math.BigInteger("123456789012345678901234567890")));
        value.put("flags", java.util.List.of(true, false));
        value.put("nothing", null);
        value.put("nested", Map.of("deeper", java.util.List.of(Map.of("k", "v"), java.util.List.of())));
        String json = JsonCodec.writeValue(value, "args");
        assertThat(JsonCodec.readObject(json)).isEqualTo(JsonCodec.readObject(JsonCodec.write(value)));
    }

    @Test
    void aMapOfScalarsIsWrittenAsTheGeneralWriterWritesIt() {
        Map<String, Object> flat = new java.util.LinkedHashMap<>();
        flat.put("i", 7);
        flat.put("big", Long.MIN_VALUE);
        flat.put("ok", true);
        flat.put("none", null);
        flat.put("text", "quote \" backslash \\ tab \t unit \u001f \u00e9");
        assertThat(JsonCodec.writeValue(flat, "args"))
                .isEqualTo("{\"i\":7,\"big\":-9223372036854775808,\"ok\":true,\"none\":null,"
                        + "\"text\":\"quote \\\" backslash \\\\ tab \\t unit \\u001f \u00e9\"}");
        assertThat(JsonCodec.readObject(JsonCodec.writeValue(flat, "args"))).isEqualTo(flat);
    }

    @Test
    void aMapOfScalarsWithAnInvalidValueIsStillRejectedNamingThePath() {
        Map<String, Object> nul = new java.util.LinkedHashMap<>();
        nul.put("fine", 1);
        nul.put("name", "a\u0000b");
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.writeValue(nul, "args"))
                .withMessageStartingWith("args.name contains the NUL character");
        Map<String, Object> nan = new java.util.LinkedHashMap<>();
        nan.put("fine", "x");
        nan.put("ratio", Double.NaN);
        assertThatIllegalArgumentException().isThrownBy(() -> JsonCodec.writeValue(nan, "args"))
                .withMessageStartingWith("args.ratio is NaN");
    }

    @Test
    void writeValueNamesThePathOfTheOffendingValue() {
        Map<String, Object> value = Map.of("a", java.util.List.of(1, Map.of("b", new Object())));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> JsonCodec.writeValue(value, "args"))
                .withMessageStartingWith("args.a[1].b is a java.lang.Object, which is not a JSON value");
    }

    @Test
    void canonicalJsonSortsKeysAndNormalisesNumbers() {
        assertThat(JsonCodec.canonical("{\"b\": [1.50, 2e2, -0.0], \"a\": {\"y\": \"\\u00e9\", \"x\": null}}"))
                .isEqualTo("{\"a\":{\"x\":null,\"y\":\"\u00e9\"},\"b\":[1.5,200,0]}");
        assertThat(JsonCodec.canonical("{\"n\": 1}")).isEqualTo(JsonCodec.canonical("{\"n\": 1.0}"));
    }
}
