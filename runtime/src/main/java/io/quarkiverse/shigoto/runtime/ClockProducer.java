package io.quarkiverse.shigoto.runtime;

import java.time.Clock;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.arc.DefaultBean;
import io.smallrye.common.annotation.Identifier;

/**
 * The clock every engine part reads "now" from. Tests replace it with an alternative bean of the same identifier to
 * move time instead of waiting.
 */
public class ClockProducer {

    @Produces
    @Singleton
    @DefaultBean
    @Identifier("shigoto")
    Clock clock() {
        return Clock.systemUTC();
    }
}
