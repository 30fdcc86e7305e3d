package io.quarkiverse.shigoto.runtime.config;

import java.util.Optional;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * shigoto's Dev Service: an embedded PostgreSQL for dev and test mode when nothing else provides one.
 * <p>
 * It starts only when all of these hold: the application runs in dev or test mode, Dev Services are on
 * ({@code quarkus.devservices.enabled}), the datasource shigoto uses has no {@code jdbc.url} or {@code reactive.url},
 * its {@code quarkus.datasource.devservices.enabled} is not set, and no container runtime (Docker, Podman) answers.
 * With a container runtime, Quarkus's own PostgreSQL Dev Service starts a container as usual.
 */
@ConfigMapping(prefix = "quarkus.shigoto.devservices")
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
public interface DevServicesConfig {

    /**
     * Whether shigoto starts an embedded PostgreSQL in dev and test mode when the application configures no
     * datasource URL and no container runtime is available.
     */
    @WithDefault("true")
    boolean enabled();

    /** The port the embedded PostgreSQL listens on (on {@code localhost}). Unset, a free port is chosen. */
    Optional<Integer> port();
}
