package io.quarkiverse.shigoto.it;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.smallrye.common.annotation.Identifier;

/**
 * The engine's clock in tests: system time plus an offset that tests move forward instead of waiting (a retry's
 * backoff, a scheduled job's due time). The offset only ever grows, so tests never see time go backwards.
 */
@Singleton
public class MovableClock extends Clock {

    private final AtomicLong offsetMillis = new AtomicLong();

    public void advance(Duration by) {
        offsetMillis.addAndGet(by.toMillis());
    }

    @Override
    public Instant instant() {
        return Instant.now().plusMillis(offsetMillis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    /** Replaces the extension's default clock. */
    @Singleton
    static class Producer {

        @Produces
        @Alternative
        @Priority(1)
        @Identifier("shigoto")
        Clock shigotoClock(MovableClock clock) {
            return clock;
        }
    }
}
