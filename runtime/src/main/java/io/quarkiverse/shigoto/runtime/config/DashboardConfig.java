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
     * The roles allowed to see the dashboard, its API and its live stream, and to act in them. Needs a Quarkus
     * security extension; without one the build fails. Unset, dev and test mode let everyone in, and a production
     * application does not serve the dashboard at all unless {@code open-in-prod} is set.
     */
    Optional<List<String>> rolesAllowed();

    /**
     * Whether a production application (a packaged jar, native executable or container, whatever its profile) serves
     * the dashboard without {@code roles-allowed}, to anyone who can reach its HTTP port; it logs a warning at start
     * when it does. Dev and test mode serve it regardless.
     */
    @WithDefault("false")
    boolean openInProd();
}
