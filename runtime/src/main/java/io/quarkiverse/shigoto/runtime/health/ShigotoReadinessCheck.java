package io.quarkiverse.shigoto.runtime.health;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.SortedSet;
import java.util.TreeSet;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.quarkiverse.shigoto.runtime.cluster.QueueStates;
import io.quarkiverse.shigoto.runtime.config.ConfiguredQueues;
import io.quarkiverse.shigoto.runtime.config.ShigotoConfig;
import io.quarkiverse.shigoto.runtime.store.JobStore;
import io.quarkiverse.shigoto.runtime.store.Migrator;

/**
 * Ready when the job tables' database answers and every shigoto migration is applied. The details tell the schema
 * version, jobs by queue and state, and the jobs left executing by lost nodes; every read is bounded, so a probe costs
 * the same with a million jobs as with ten. Registered by the build only when the application has SmallRye Health.
 */
@Readiness
@Singleton
public class ShigotoReadinessCheck implements HealthCheck {

    static final String NAME = "shigoto";
    /** The stuck-job count stops at this many. */
    static final int STUCK_CAP = 10_000;

    @Inject
    JobStore store;

    @Inject
    ConfiguredQueues queues;

    @Inject
    ShigotoConfig config;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).withData("schema",
                store.schema().name());
        try {
            if (!migrated(store, response)) {
                return response.down().build();
            }
            details(store, response);
            return response.up().build();
        } catch (SQLException | RuntimeException e) {
            return response.down().withData("error", "the database did not answer: " + e.getMessage()).build();
        }
    }

    /** @return whether every migration this code needs is applied; reports the versions either way */
    private static boolean migrated(JobStore store, HealthCheckResponseBuilder response) throws SQLException {
        SortedSet<Integer> applied;
        try (Connection c = store.dataSource().getConnection()) {
            applied = Migrator.appliedVersions(c, store.schema());
        }
        SortedSet<Integer> missing = new TreeSet<>(Migrator.expectedVersions());
        missing.removeAll(applied);
        response.withData("schema-version", applied.isEmpty() ? 0 : applied.last())
                .withData("expected-version", Migrator.latestVersion());
        if (missing.isEmpty()) {
            return true;
        }
        response.withData("missing-migrations", missing.toString());
        return false;
    }

    private void details(JobStore store, HealthCheckResponseBuilder response) throws SQLException {
        QueueStates states = QueueStates.read(store, queues.running().keySet(), config.nodeTimeout());
        states.counts().forEach((queue, counts) -> counts
                .forEach((state, n) -> response.withData("queue." + queue + "." + state, n)));
        if (!states.capped().isEmpty()) {
            // those states have more jobs than the counts say
            response.withData("capped-states", String.join(", ", new TreeSet<>(states.capped())));
        }
        response.withData("stuck-jobs", store.maintenance().stuckJobCount(config.nodeTimeout(), STUCK_CAP));
    }
}
