package io.quarkiverse.shigoto.runtime.config;

import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The admin dashboard. Its routes are registered at build time, so these are fixed at build time.
 */
@ConfigMapping(prefix = "quarkus.shigoto.dashboard")
@ConfigRoot(phase = ConfigPhase.BUILD_AND_RUN_TIME_FIXED)
public interface DashboardConfig {

    /** Whether the application serves the dashboard. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Where the dashboard is served, relative to {@code quarkus.http.root-path} (with root path {@code /app}, the
     * default serves it at {@code /app/shigoto}).
     */
    @WithDefault("/shigoto")
    String path();

    /** Whether the dashboard only shows: no action is offered, and every action request is refused. */
    @WithDefault("false")
    boolean readOnly();

    /**
     * The roles allowed to see the dashboard and act in it. Unset lets everyone in (protect the path some other way,
     * or set this). Needs a Quarkus security extension; without one the build fails.
     */
    Optional<List<String>> rolesAllowed();
}
