package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusProdModeTest;

/**
 * A production application without roles-allowed or open-in-prod serves no dashboard, API or live stream, and says
 * why at start.
 */
class DashboardProdClosedTest {

    static final int PORT = EmbeddedDatabase.freePort();

    // registered first, so it runs after the application stopped
    @RegisterExtension
    @Order(1)
    static final AfterAllCallback database = context -> EmbeddedDatabase.stop();

    @RegisterExtension
    @Order(2)
    static final QuarkusProdModeTest app = EmbeddedDatabase.prodApp(PORT);

    @Test
    void nothingIsServed() {
        ProdDashboard dashboard = new ProdDashboard(PORT);
        assertThat(dashboard.page(null)).as("page").isEqualTo(404);
        assertThat(dashboard.api(null)).as("API").isEqualTo(404);
        assertThat(dashboard.stream(null)).as("live stream").isEqualTo(404);
        assertThat(dashboard.action(null)).as("action").isEqualTo(404);
        assertThat(app.getStartupConsoleOutput()).contains("The shigoto dashboard is not served at /shigoto")
                .doesNotContain("are open to anyone");
    }
}
