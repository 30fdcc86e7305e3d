package io.quarkiverse.shigoto.runtime.config;

import java.util.Locale;

import io.quarkus.runtime.LaunchMode;

/**
 * How the engine runs jobs while an application runs its tests ({@code quarkus.shigoto.testing}).
 */
public enum TestingMode {

    /** Producers claim and run jobs as in production. */
    DISABLED,
    /** Inserts are stored but no producer runs: a test runs them with {@code ShigotoTesting.drainQueue}. */
    MANUAL,
    /**
     * No producer runs; an insert runs its available jobs at once, on the inserting thread, after its transaction
     * commits.
     */
    INLINE;

    /** @return the mode as written in the configuration */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return whether producers stay off: jobs run only when a test or an insert runs them */
    public boolean producersOff() {
        return this != DISABLED;
    }

    /**
     * The two settings that arm a testing mode must agree: the mode, and an application launched for its tests. A
     * mode set anywhere else (a packaged application, dev mode) is a start failure, never a silent inline queue.
     *
     * @return the problem, or {@code null} when there is none
     */
    public String problem(LaunchMode launchMode) {
        if (this == DISABLED || launchMode == LaunchMode.TEST) {
            return null;
        }
        return "quarkus.shigoto.testing=" + configValue() + " is only allowed while the application runs its tests"
                + " (launch mode test), but it runs in launch mode " + launchMode.getDefaultProfile()
                + ": remove the setting, or give it the test profile (%test.quarkus.shigoto.testing="
                + configValue() + ")";
    }
}
