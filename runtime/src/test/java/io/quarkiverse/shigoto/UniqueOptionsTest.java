package io.quarkiverse.shigoto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class UniqueOptionsTest {

    @Test
    void optionsAreImmutableAndDefaultToUnfinishedStatesForever() {
        UniqueOptions base = UniqueOptions.by(Unique.Key.WORKER);
        UniqueOptions hourly = base.period(Duration.ofHours(1));
        assertThat(base.period()).isNull();
        assertThat(hourly.period()).isEqualTo(Duration.ofHours(1));
        assertThat(base.states()).isEqualTo(UniqueOptions.DEFAULT_STATES);
        assertThat(base.enabled()).isTrue();
    }

    @Test
    void badOptionsAreRejectedNamingTheProblem() {
        assertThatThrownBy(() -> UniqueOptions.by()).isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("keys");
        UniqueOptions base = UniqueOptions.by(Unique.Key.ARGS);
        assertThatThrownBy(() -> base.period(Duration.ofMillis(500))).hasMessageContaining("period");
        assertThatThrownBy(() -> base.debounce(Duration.ZERO)).hasMessageContaining("debounce");
        assertThatThrownBy(() -> base.states(new JobState[0])).hasMessageContaining("states");
        assertThatThrownBy(() -> base.argsKeys("")).hasMessageContaining("argsKeys");
        assertThatThrownBy(() -> UniqueOptions.none().period(Duration.ofHours(1))).hasMessageContaining("none()");
    }
}
