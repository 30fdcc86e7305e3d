package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A testing mode set in a packaged application (launch mode prod) is refused at start, naming the property: no
 * production application runs its jobs inline, or not at all, by accident.
 */
class TestingModeOutsideTestsTest {

    @RegisterExtension
    static final ProdApp app = (ProdApp) ProdApp.with("quarkus.shigoto.testing", "inline").setExpectExit(true);

    @Test
    void theStartFailsNamingTheSetting() {
        assertThat(app.getExitCode()).isNotZero();
        assertThat(app.getStartupConsoleOutput())
                .contains("quarkus.shigoto.testing=inline is only allowed while the application runs its tests"
                        + " (launch mode test), but it runs in launch mode prod");
    }
}
