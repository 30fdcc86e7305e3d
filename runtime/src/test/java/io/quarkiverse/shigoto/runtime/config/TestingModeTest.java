package io.quarkiverse.shigoto.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.LaunchMode;

class TestingModeTest {

    @Test
    void aTestingModeIsArmedOnlyWhenTheApplicationRunsItsTests() {
        for (TestingMode mode : TestingMode.values()) {
            assertThat(mode.problem(LaunchMode.TEST)).isNull();
        }
        for (LaunchMode launch : new LaunchMode[] { LaunchMode.NORMAL, LaunchMode.DEVELOPMENT }) {
            assertThat(TestingMode.DISABLED.problem(launch)).isNull();
            assertThat(TestingMode.INLINE.problem(launch)).startsWith("quarkus.shigoto.testing=inline is only allowed")
                    .contains("launch mode " + launch.getDefaultProfile())
                    .endsWith("(%test.quarkus.shigoto.testing=inline)");
            assertThat(TestingMode.MANUAL.problem(launch)).startsWith("quarkus.shigoto.testing=manual");
        }
    }

    @Test
    void onlyDisabledRunsProducers() {
        assertThat(TestingMode.DISABLED.producersOff()).isFalse();
        assertThat(TestingMode.MANUAL.producersOff()).isTrue();
        assertThat(TestingMode.INLINE.producersOff()).isTrue();
    }
}
