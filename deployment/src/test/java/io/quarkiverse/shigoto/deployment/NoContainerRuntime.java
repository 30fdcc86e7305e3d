package io.quarkiverse.shigoto.deployment;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this machine has no container runtime a Dev Service could use. The Dev Service tests describe what happens
 * without one (the machines this project is built on have none); where Docker or Podman runs, Quarkus's own PostgreSQL
 * Dev Service takes the datasource and those tests are skipped.
 */
final class NoContainerRuntime {

    private NoContainerRuntime() {
    }

    /** @return true when neither a Docker host is configured nor a Docker or Podman socket exists */
    static boolean here() {
        if (System.getenv("DOCKER_HOST") != null) {
            return false;
        }
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        return !Files.exists(Path.of("/var/run/docker.sock")) && !Files.exists(Path.of("/run/podman/podman.sock"))
                && (runtimeDir == null || !Files.exists(Path.of(runtimeDir, "podman", "podman.sock")));
    }
}
