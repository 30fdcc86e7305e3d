package io.quarkiverse.shigoto.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.shigoto.Job;
import io.quarkiverse.shigoto.JobResult;
import io.quarkiverse.shigoto.Worker;
import io.quarkus.test.QuarkusUnitTest;

/**
 * Invalid configured cron entries fail the start with one exception that names every bad entry, its key and reason.
 */
class InvalidCronConfigTest {

    private static final String HEADER = "Invalid shigoto cron entries (";

    @RegisterExtension
    static final QuarkusUnitTest config = EmbeddedDatabase.app()
            .withApplicationRoot(jar -> jar.addClasses(EmbeddedDatabase.class, Report.class))
            .overrideConfigKey("quarkus.shigoto.cron.bad-schedule.schedule", "0 25 * * *")
            .overrideConfigKey("quarkus.shigoto.cron.bad-schedule.kind", "report")
            .overrideConfigKey("quarkus.shigoto.cron.no-schedule.kind", "report")
            .overrideConfigKey("quarkus.shigoto.cron.typo.schedule", "@daily")
            .overrideConfigKey("quarkus.shigoto.cron.typo.kind", "reprot")
            .overrideConfigKey("quarkus.shigoto.cron.bad-zone.schedule", "@daily")
            .overrideConfigKey("quarkus.shigoto.cron.bad-zone.kind", "report")
            .overrideConfigKey("quarkus.shigoto.cron.bad-zone.timezone", "Europe/Atlantis")
            .overrideConfigKey("quarkus.shigoto.cron.bad-args.schedule", "@hourly")
            .overrideConfigKey("quarkus.shigoto.cron.bad-args.kind", "report")
            .overrideConfigKey("quarkus.shigoto.cron.bad-args.args", "[1, 2]")
            .overrideConfigKey("quarkus.shigoto.cron.\"report\".priority", "101")
            .overrideConfigKey("quarkus.shigoto.cron.fine.schedule", "30 2 * * *")
            .overrideConfigKey("quarkus.shigoto.cron.fine.kind", "report")
            .assertException(t -> assertThat(problems(t)).containsExactly(
                    "quarkus.shigoto.cron.\"bad-args\".args is not a JSON object: expected a JSON object, found [1, 2]",
                    "quarkus.shigoto.cron.\"bad-schedule\".schedule '0 25 * * *' is invalid: Value 25 not in range [0,"
                            + " 23]",
                    "quarkus.shigoto.cron.\"bad-zone\".timezone unknown time zone 'Europe/Atlantis' (use an IANA name"
                            + " such as Europe/Berlin)",
                    "quarkus.shigoto.cron.\"no-schedule\".schedule is missing (every entry needs one, such as @daily or"
                            + " 0 3 * * *)",
                    "quarkus.shigoto.cron.\"report\".priority must be between -100 and 100, was 101",
                    "quarkus.shigoto.cron.\"typo\".kind 'reprot' is the kind of no @Job worker of this application"
                            + " (known kinds: report)"));

    @Test
    void theStartFails() {
        // the assertion is in assertException
    }

    /** @return the problem lines of the start failure, after checking the header counts them */
    private static List<String> problems(Throwable failure) {
        Throwable t = failure;
        while (t != null && (t.getMessage() == null || !t.getMessage().startsWith(HEADER))) {
            t = t.getCause();
        }
        assertThat(t).as("a cause of %s starting with '%s'", failure, HEADER).isNotNull();
        List<String> lines = Arrays.asList(t.getMessage().split("\n"));
        assertThat(lines.get(0)).isEqualTo(HEADER + (lines.size() - 1) + " problems):");
        return lines.subList(1, lines.size()).stream().map(line -> line.substring("  - ".length())).toList();
    }

    @Job(kind = "report", cron = "@daily")
    public static class Report implements Worker {
        @Override
        public JobResult perform(Map<String, Object> args) {
            return JobResult.ok();
        }
    }
}
