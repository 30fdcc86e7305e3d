package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.deployment.InvalidWorkersTest.Noop;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Invalid {@code @Job(cron)} schedules fail the build once, each named with its class and reason, together with the
 * workers' other problems.
 */
class InvalidCronWorkersTest {

    @RegisterExtension
    static final QuarkusUnitTest config = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClasses(Noop.class, OutOfRange.class, FourFields.class, Never.class,
                    Reboot.class, UnknownZone.class, ZoneWithoutCron.class, NoAttemptsAndBadCron.class, Valid.class))
            .overrideConfigKey("quarkus.datasource.db-kind", "postgresql")
            .overrideConfigKey("quarkus.datasource.devservices.enabled", "false")
            .assertException(t -> assertThat(WorkerProblems.of(t)).containsExactlyInAnyOrder(
                    problem(OutOfRange.class, "invalid cron '61 * * * *': Value 61 not in range [0, 59]"),
                    problem(FourFields.class, "invalid cron '0 3 * *': it has 4 fields; expected 5 (minute hour"
                            + " day-of-month month day-of-week) or one of @hourly, @daily, @midnight, @weekly,"
                            + " @monthly, @yearly, @annually"),
                    problem(Never.class, "invalid cron '0 0 30 2 *': it never fires (no date matches its day and month)"),
                    problem(Reboot.class, "invalid cron '@reboot': @reboot is not a nickname shigoto knows;"
                            + " use @hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually"),
                    problem(UnknownZone.class, "invalid cron '@daily' in Mars/Olympus_Mons: unknown time zone"
                            + " 'Mars/Olympus_Mons' (use an IANA name such as Europe/Berlin)"),
                    problem(ZoneWithoutCron.class, "cronTimezone needs a cron schedule"),
                    problem(NoAttemptsAndBadCron.class, "maxAttempts must be at least 1, was 0"),
                    problem(NoAttemptsAndBadCron.class, "invalid cron '0 0 * * MON#2': Invalid expression: MON#2")));

    @Test
    void everyProblemIsReportedInOneBuildFailure() {
        fail("the build must fail");
    }

    private static String problem(Class<?> worker, String problem) {
        return WorkerProblems.line(worker, problem);
    }

    @Job(cron = "61 * * * *")
    public static class OutOfRange extends Noop {
    }

    @Job(cron = "0 3 * *")
    public static class FourFields extends Noop {
    }

    @Job(cron = "0 0 30 2 *")
    public static class Never extends Noop {
    }

    @Job(cron = "@reboot")
    public static class Reboot extends Noop {
    }

    @Job(cron = "@daily", cronTimezone = "Mars/Olympus_Mons")
    public static class UnknownZone extends Noop {
    }

    @Job(cronTimezone = "Europe/Berlin")
    public static class ZoneWithoutCron extends Noop {
    }

    @Job(maxAttempts = 0, cron = "0 0 * * MON#2")
    public static class NoAttemptsAndBadCron extends Noop {
    }

    @Job(cron = "*/5 9-17 * JAN-MAR MON-FRI", cronTimezone = "America/New_York")
    public static class Valid extends Noop {
    }
}
