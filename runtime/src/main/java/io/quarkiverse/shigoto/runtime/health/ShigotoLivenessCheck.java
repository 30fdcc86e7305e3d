package io.quarkiverse.shigoto.runtime.health;

import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import io.quarkiverse.shigoto.runtime.Engine;
import io.quarkiverse.shigoto.runtime.NodeLifecycle;
import io.quarkiverse.shigoto.runtime.queue.QueueProducer;

/**
 * Live while this node's queue producers and its completer run: a producer whose thread died, or whose claim loop has
 * not gone round for ten poll intervals (and at least a minute), will never claim again, and only a restart helps.
 * It reads no database, so a database outage makes the node unready, never restarted. Registered by the build only
 * when the application has SmallRye Health.
 */
@Liveness
@Singleton
public class ShigotoLivenessCheck implements HealthCheck {

    /** A claim loop that has not gone round for this many poll intervals (and {@link #MIN_STALL}) is stuck. */
    static final int STALL_POLLS = 10;
    static final Duration MIN_STALL = Duration.ofMinutes(1);

    @Inject
    NodeLifecycle runtime;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(ShigotoReadinessCheck.NAME)
                .withData("node", runtime.node());
        Engine engine = runtime.engine();
        if (engine == null) {
            return response.up().withData("queues", "none (insert-only or stopping)").build();
        }
        boolean live = true;
        if (engine.completer().dead()) {
            response.withData("completer", "dead");
            live = false;
        }
        for (QueueProducer p : engine.producers().values()) {
            String state = state(p);
            response.withData("queue." + p.queue(), state).withData("queue." + p.queue() + ".executing", p.running());
            live &= state.equals("alive");
        }
        return response.status(live).build();
    }

    /** @return {@code alive}, {@code dead} or {@code stalled for <duration>} */
    static String state(QueueProducer p) {
        if (p.dead()) {
            return "dead";
        }
        Duration since = p.sinceLastTurn();
        Duration limit = p.pollInterval().multipliedBy(STALL_POLLS);
        if (since.compareTo(limit.compareTo(MIN_STALL) > 0 ? limit : MIN_STALL) > 0) {
            return "stalled for " + since.toSeconds() + "s";
        }
        return "alive";
    }
}
