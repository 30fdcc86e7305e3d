package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Roles without a security extension to check them would leave the dashboard open: the build names the problem.
 */
class DashboardRolesProblemTest {

    @Test
    void rolesWithoutASecurityExtensionFailTheBuild() {
        assertThat(DashboardProcessor.rolesProblem(List.of("ops"), false))
                .contains("quarkus.shigoto.dashboard.roles-allowed is set to [ops]")
                .contains("no Quarkus security extension");
    }

    @Test
    void rolesWithSecurityOrNoRolesAreFine() {
        assertThat(DashboardProcessor.rolesProblem(List.of("ops"), true)).isNull();
        assertThat(DashboardProcessor.rolesProblem(List.of(), false)).isNull();
    }
}
