package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.builder.Version;
import io.quarkus.maven.dependency.Dependency;

/**
 * A production application with roles-allowed serves the dashboard, its API and its live stream to callers with one
 * of the roles only, without a warning.
 */
class DashboardProdRolesTest {

    @RegisterExtension
    static final ProdApp app = (ProdApp) ProdApp.with("quarkus.shigoto.dashboard.roles-allowed", "ops",
            "quarkus.http.auth.basic", "true",
            "quarkus.security.users.embedded.enabled", "true",
            "quarkus.security.users.embedded.plain-text", "true",
            "quarkus.security.users.embedded.users.ada", "ada-secret",
            "quarkus.security.users.embedded.roles.ada", "ops")
            // the packaged application gets no test-scoped dependency
            .setForcedDependencies(List.of(Dependency.of("io.quarkus", "quarkus-elytron-security-properties-file",
                    Version.getVersion())));

    @Test
    void onlyCallersWithARoleAreServed() {
        app.assertAnswers(401, null);
        assertThat(app.action(null)).as("action").isEqualTo(401);
        app.assertAnswers(200, "ada:ada-secret");
        assertThat(app.getStartupConsoleOutput()).doesNotContain("are open to anyone").doesNotContain("not served");
    }
}
