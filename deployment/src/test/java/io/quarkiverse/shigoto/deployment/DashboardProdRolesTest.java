package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.builder.Version;
import io.quarkus.maven.dependency.Dependency;
import io.quarkus.test.QuarkusProdModeTest;

/**
 * A production application with roles-allowed serves the dashboard, its API and its live stream to callers with one
 * of the roles only, without a warning.
 */
class DashboardProdRolesTest {

    static final int PORT = EmbeddedDatabase.freePort();

    // registered first, so it runs after the application stopped
    @RegisterExtension
    @Order(1)
    static final AfterAllCallback database = context -> EmbeddedDatabase.stop();

    @RegisterExtension
    @Order(2)
    static final QuarkusProdModeTest app = EmbeddedDatabase.prodApp(PORT)
            // the packaged application gets no test-scoped dependency
            .setForcedDependencies(List.of(Dependency.of("io.quarkus", "quarkus-elytron-security-properties-file",
                    Version.getVersion())))
            .overrideConfigKey("quarkus.shigoto.dashboard.roles-allowed", "ops")
            .overrideConfigKey("quarkus.http.auth.basic", "true")
            .overrideConfigKey("quarkus.security.users.embedded.enabled", "true")
            .overrideConfigKey("quarkus.security.users.embedded.plain-text", "true")
            .overrideConfigKey("quarkus.security.users.embedded.users.ada", "ada-secret")
            .overrideConfigKey("quarkus.security.users.embedded.roles.ada", "ops");

    @Test
    void onlyCallersWithARoleAreServed() {
        ProdDashboard dashboard = new ProdDashboard(PORT);
        assertThat(dashboard.page(null)).as("page").isEqualTo(401);
        assertThat(dashboard.api(null)).as("API").isEqualTo(401);
        assertThat(dashboard.stream(null)).as("live stream").isEqualTo(401);
        assertThat(dashboard.action(null)).as("action").isEqualTo(401);
        ProdDashboard.assertServed(dashboard, "ada:ada-secret");
        assertThat(app.getStartupConsoleOutput()).doesNotContain("are open to anyone").doesNotContain("not served");
    }
}
