package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A production application without roles-allowed or open-in-prod serves no dashboard, API or live stream, and says
 * why at start.
 */
class DashboardProdClosedTest {

    @RegisterExtension
    static final ProdApp app = ProdApp.with();

    @Test
    void nothingIsServed() {
        app.assertAnswers(404, null);
        assertThat(app.action(null)).as("action").isEqualTo(404);
        assertThat(app.getStartupConsoleOutput()).contains("The shigoto dashboard is not served at /shigoto")
                .doesNotContain("are open to anyone");
    }
}
