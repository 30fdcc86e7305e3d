package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/**
 * When the embedded PostgreSQL starts, and that the container runtime is only asked when everything else allows it.
 */
class DevServicesDecisionTest {

    @Test
    void startsWhenNothingElseServesTheDatasource() {
        assertThat(DevServicesProcessor.reasonNotToStart(true, true, Optional.empty(), Optional.empty(), false, () -> false))
                .isNull();
        assertThat(DevServicesProcessor.reasonNotToStart(true, true, Optional.of("pg"), Optional.empty(), false, () -> false))
                .isNull();
    }

    @Test
    void eachReasonNotToStart() {
        AtomicBoolean asked = new AtomicBoolean();
        assertThat(DevServicesProcessor.reasonNotToStart(false, true, Optional.empty(), Optional.empty(), false,
                () -> asked.getAndSet(true))).isEqualTo("quarkus.shigoto.devservices.enabled is false");
        assertThat(DevServicesProcessor.reasonNotToStart(true, false, Optional.empty(), Optional.empty(), false,
                () -> asked.getAndSet(true)))
                .isEqualTo("no such datasource is configured (a named datasource needs its db-kind)");
        assertThat(DevServicesProcessor.reasonNotToStart(true, true, Optional.of("h2"), Optional.empty(), false,
                () -> asked.getAndSet(true))).isEqualTo("its db-kind is h2, not postgresql");
        assertThat(DevServicesProcessor.reasonNotToStart(true, true, Optional.empty(), Optional.of(true), false,
                () -> asked.getAndSet(true))).isEqualTo("its quarkus.datasource.devservices.enabled is set (true)");
        assertThat(DevServicesProcessor.reasonNotToStart(true, true, Optional.empty(), Optional.empty(), true,
                () -> asked.getAndSet(true))).isEqualTo("its URL is configured");
        assertThat(asked).as("the container runtime is not asked when another reason decides").isFalse();
        assertThat(DevServicesProcessor.reasonNotToStart(true, true, Optional.empty(), Optional.empty(), false, () -> true))
                .isEqualTo("a container runtime is available, Quarkus's PostgreSQL Dev Service serves it");
    }
}
