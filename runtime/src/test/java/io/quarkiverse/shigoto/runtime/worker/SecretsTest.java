package io.quarkiverse.shigoto.runtime.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.Worker;

class SecretsTest {

    @Test
    void valuesTheRedactedArgsNoLongerHoldAreMaskedWherePresentVerbatim() {
        Secrets secrets = Secrets.hidden(Map.of("user", "ada", "card", "4111-1111", "nested", Map.of("pin", List.of(98765))),
                Map.of("user", "ada", "card", "***", "nested", Map.of()));
        assertThat(secrets.scrub("card 4111-1111 of ada, pin 98765")).isEqualTo("card [redacted] of ada, pin [redacted]");
        assertThat(secrets.scrub((String) null)).isNull();
    }

    @Test
    void shortValuesAndValuesStillShownElsewhereAreNoSecrets() {
        Secrets secrets = Secrets.hidden(Map.of("code", "abc", "token", "moved-value"),
                Map.of("shown", "moved-value"));
        assertThat(secrets.none()).isTrue();
        assertThat(secrets.scrub("abc moved-value")).isEqualTo("abc moved-value");
    }

    @Test
    void aSecretContainingAnotherIsMaskedWhole() {
        Secrets secrets = Secrets.hidden(Map.of("a", "secret", "b", "secret-long"), Map.of());
        assertThat(secrets.scrub("x secret-long y secret")).isEqualTo("x [redacted] y [redacted]");
    }

    @Test
    void theDefaultRedactionHidesNothing() {
        Worker worker = args -> null;
        assertThat(Secrets.of(worker, Map.of("card", "4111-1111")).none()).isTrue();
    }

    @Test
    void aFailingRedactionWithholdsEveryText() {
        Worker worker = new Worker() {
            @Override
            public io.quarkiverse.shigoto.JobResult perform(Map<String, Object> args) {
                return null;
            }

            @Override
            public Map<String, Object> redact(Map<String, Object> args) {
                throw new IllegalStateException("cannot redact " + args);
            }
        };
        Secrets secrets = Secrets.of(worker, Map.of("card", "4111-1111"));
        assertThat(secrets.scrub("card 4111-1111")).doesNotContain("4111").contains("withheld");
    }

    @Test
    void aFailureIsCopiedWithScrubbedMessagesClassNamesAndFramesKept() {
        Secrets secrets = Secrets.hidden(Map.of("card", "4111-1111"), Map.of());
        IllegalStateException failure = new IllegalStateException("card 4111-1111 declined",
                new IllegalArgumentException("bad 4111-1111"));
        Throwable shown = secrets.scrub(failure);
        StringWriter text = new StringWriter();
        shown.printStackTrace(new PrintWriter(text));
        assertThat(text.toString()).doesNotContain("4111-1111")
                .contains("java.lang.IllegalStateException: card [redacted] declined")
                .contains("Caused by: java.lang.IllegalArgumentException: bad [redacted]")
                .contains("SecretsTest.aFailureIsCopiedWithScrubbedMessagesClassNamesAndFramesKept");
        IllegalStateException harmless = new IllegalStateException("nothing secret");
        assertThat(secrets.scrub(harmless)).isSameAs(harmless);
    }
}
