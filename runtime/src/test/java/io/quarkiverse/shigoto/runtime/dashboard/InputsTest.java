package io.quarkiverse.shigoto.runtime.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class InputsTest {

    @Test
    void numbersWithinTheirBoundsAreRead() {
        assertThat(Inputs.id(" 42 ")).isEqualTo(42);
        assertThat(Inputs.id(String.valueOf(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        assertThat(Inputs.snooze("0")).isEqualTo(Duration.ZERO);
        assertThat(Inputs.snooze("315360000")).isEqualTo(Duration.ofDays(3650));
        assertThat(Inputs.concurrency("0")).isZero();
        assertThat(Inputs.concurrency("10000")).isEqualTo(10_000);
    }

    @Test
    void hugeNegativeZeroMalformedAndEmptyValuesNameTheParameterAndItsBounds() {
        assertThatThrownBy(() -> Inputs.snooze("9223372036854775807"))
                .hasMessage("seconds must be from 0 to 315360000, was 9223372036854775807");
        assertThatThrownBy(() -> Inputs.snooze("99999999999999999999"))
                .hasMessage("seconds must be from 0 to 315360000, was 99999999999999999999");
        assertThatThrownBy(() -> Inputs.snooze("-1")).hasMessage("seconds must be from 0 to 315360000, was -1");
        assertThatThrownBy(() -> Inputs.id("0")).hasMessage("id must be from 1 to 9223372036854775807, was 0");
        assertThatThrownBy(() -> Inputs.id("abc"))
                .hasMessage("id must be a whole number from 1 to 9223372036854775807, was 'abc'");
        assertThatThrownBy(() -> Inputs.id(null))
                .hasMessage("id must be a whole number from 1 to 9223372036854775807, was ''");
        assertThatThrownBy(() -> Inputs.concurrency("2147483648"))
                .hasMessage("concurrency must be from 0 to 10000, was 2147483648");
        assertThatThrownBy(() -> Inputs.concurrency("1e3"))
                .hasMessage("concurrency must be a whole number from 0 to 10000, was '1e3'");
        assertThatThrownBy(() -> Inputs.concurrency("9".repeat(100))).hasMessageEndingWith("…");
    }
}
