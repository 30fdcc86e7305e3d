package io.quarkiverse.shigoto.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

    @Test
    void aNumberWithAUnitParses() {
        assertThat(DurationText.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationText.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationText.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationText.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationText.parse("1d")).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void isoEightSixOhOneParses() {
        assertThat(DurationText.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationText.parse("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationText.parse("P1DT2H")).isEqualTo(Duration.ofHours(26));
    }

    @Test
    void surroundingSpacesAndASpaceBeforeTheUnitAreAllowed() {
        assertThat(DurationText.parse("  30s ")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationText.parse("5 m")).isEqualTo(Duration.ofMinutes(5));
    }

    @ParameterizedTest
    @ValueSource(strings = { "300000", "5 minutes", "PTX", "5M", "-5s", "1.5s", "s", "ten seconds" })
    void anyOtherTextFailsNamingTheTextAndTheAcceptedForms(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> DurationText.parse(text))
                .withMessage("'" + text
                        + "' is not a duration: use a number with a unit (250ms, 30s, 5m, 2h, 1d) or ISO-8601 such as PT5M");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "   " })
    void anEmptyTextFails(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> DurationText.parse(text))
                .withMessageContaining("is not a duration: use a number with a unit");
    }

    @Test
    void aMissingTextFails() {
        assertThatIllegalArgumentException().isThrownBy(() -> DurationText.parse(null))
                .withMessageContaining("is not a duration: use a number with a unit");
    }

    @ParameterizedTest
    @ValueSource(strings = { "999999999999999d", "99999999999999999999s" })
    void aNumberTooLargeForADurationFailsNamingTheText(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> DurationText.parse(text))
                .withMessageContaining("'" + text + "'");
    }
}
