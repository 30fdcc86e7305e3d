package io.quarkiverse.shigoto.runtime.client;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkiverse.shigoto.CircuitBreakerView;
import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.ShigotoException;
import io.quarkiverse.shigoto.runtime.cluster.InsertNotifier;
import io.quarkiverse.shigoto.runtime.queue.ShigotoEvents;
import io.quarkiverse.shigoto.runtime.store.BreakerStore;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.worker.BreakerSpec;
import io.quarkiverse.shigoto.runtime.worker.WorkerCatalog;
import io.quarkiverse.shigoto.runtime.worker.WorkerDefinition;

/** The client's reads and resets of circuit breakers. */
final class BreakerCommands {

    private final JobStore store;
    private final WorkerCatalog catalog;
    private final Clock clock;
    private final ShigotoEvents events;
    private final InsertNotifier notifier;
    private final String node;

    BreakerCommands(JobStore store, WorkerCatalog catalog, Clock clock, ShigotoEvents events, InsertNotifier notifier,
            String node) {
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
        this.events = events;
        this.notifier = notifier;
        this.node = node;
    }

    List<CircuitBreakerView> all() {
        if (!catalog.hasBreakers()) {
            return List.of();
        }
        Map<String, BreakerStore.Row> rows = new HashMap<>();
        try {
            for (BreakerStore.Row r : store.breakers().all()) {
                rows.put(r.kind(), r);
            }
        } catch (SQLException e) {
            throw new ShigotoException("could not read the circuit breakers: " + e.getMessage(), e);
        }
        Instant now = clock.instant();
        List<CircuitBreakerView> views = new ArrayList<>();
        for (WorkerDefinition d : catalog.all()) {
            BreakerSpec spec = catalog.breaker(d.kind());
            if (spec != null) {
                views.add(view(d.kind(), spec, rows.get(d.kind()), now));
            }
        }
        return views;
    }

    static CircuitBreakerView view(String kind, BreakerSpec spec, BreakerStore.Row row, Instant now) {
        if (row == null) {
            return new CircuitBreakerView(kind, CircuitBreakerView.State.CLOSED, 0, 0, spec.volume(),
                    spec.failureRatio(), 0, spec.trials(), null, null, null, null);
        }
        boolean closed = row.state().equals("closed");
        CircuitBreakerView.State state = closed ? CircuitBreakerView.State.CLOSED
                : row.reopensAt().isAfter(now) ? CircuitBreakerView.State.OPEN : CircuitBreakerView.State.HALF_OPEN;
        String recent = closed ? row.recent() : "";
        int failures = (int) recent.chars().filter(ch -> ch == '1').count();
        return new CircuitBreakerView(kind, state, failures, recent.length(), spec.volume(), spec.failureRatio(),
                state == CircuitBreakerView.State.HALF_OPEN ? row.successes() : 0, closed ? spec.trials() : row.trials(),
                row.openedAt(), row.reopensAt(), row.openedBy(), row.changedAt());
    }

    boolean reset(String kind) {
        WorkerDefinition d = catalog.byKind(kind).orElse(null);
        if (d == null || catalog.breaker(kind) == null) {
            throw new InvalidJobException("job kind '" + kind + "' has no @CircuitBreaker in this application"
                    + (catalog.kinds().contains(kind) ? "" : " (no worker has that kind)"));
        }
        boolean wasOpen;
        try {
            wasOpen = store.breakers().reset(kind, clock.instant());
        } catch (SQLException e) {
            throw new ShigotoException("could not reset the circuit breaker of kind " + kind + ": " + e.getMessage(),
                    e);
        }
        if (wasOpen) {
            events.breakerReset(kind, node);
            // the producers of the kind's queue may sleep until the breaker's reopening: claim now
            notifier.announce(d.queue());
        }
        return wasOpen;
    }
}
