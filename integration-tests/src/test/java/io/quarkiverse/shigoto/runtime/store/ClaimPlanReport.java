package io.quarkiverse.shigoto.runtime.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * A measurement, not a test (its name keeps it out of the test run): the plans and buffers of the claim function's
 * statements over 600,000 jobs (400,000 completed, 150,000 available, 50,000 scheduled), to compare one commit's
 * claim path with another's. Run it alone:
 *
 * <pre>
 * mvn -pl integration-tests verify -Dtest=ClaimPlanReport -Dsurefire.failIfNoSpecifiedTests=false -DskipITs
 * </pre>
 *
 * It writes {@code target/claim-plan-report.txt}: the plans of the last of 7 claims of 10 jobs (each rolled back, so
 * every claim sees the same table), and the shared buffers each of the 7 touched: the sum over the statements
 * auto_explain reports of each statement's top plan node.
 */
class ClaimPlanReport {

    private static final Pattern BUFFERS = Pattern.compile("Buffers: shared hit=(\\d+)(?: read=(\\d+))?");

    @Test
    void report() throws SQLException, IOException {
        PlanProbe probe = PlanProbe.migrated("shigoto_claim_report",
                "INSERT INTO {schema}.shigoto_jobs (state, kind, attempt, finished_at)"
                        + " SELECT 'completed', 'noop', 1, now() FROM generate_series(1, 400000)",
                "INSERT INTO {schema}.shigoto_jobs (kind) SELECT 'noop' FROM generate_series(1, 150000)",
                "INSERT INTO {schema}.shigoto_jobs (kind, state, scheduled_at)"
                        + " SELECT 'noop', 'scheduled', now() + interval '1 hour' FROM generate_series(1, 50000)");
        StringBuilder out = new StringBuilder();
        try (Connection c = probe.dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(probe.schema.render("VACUUM ANALYZE {schema}.shigoto_jobs"));
            st.execute("LOAD 'auto_explain'");
            st.execute("SET auto_explain.log_min_duration = 0");
            st.execute("SET auto_explain.log_nested_statements = on");
            st.execute("SET auto_explain.log_analyze = on");
            st.execute("SET auto_explain.log_buffers = on");
            st.execute("SET auto_explain.log_timing = off");
            st.execute("SET auto_explain.log_level = notice");
            st.execute("SET client_min_messages = notice");
            c.setAutoCommit(false);
            List<String> perRun = new ArrayList<>();
            String lastPlans = "";
            for (int run = 1; run <= 7; run++) {
                st.clearWarnings();
                st.execute(probe.schema.render("SELECT count(*) FROM {schema}.shigoto_claim('default', 10, now(), 'n1')"));
                StringBuilder plans = new StringBuilder();
                for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
                    plans.append(w.getMessage()).append('\n');
                }
                c.rollback();
                // each statement's plan: its top node's buffers are the statement's own
                long hit = 0;
                long read = 0;
                int statements = 0;
                for (String plan : plans.toString().split("Query Text: ")) {
                    Matcher m = BUFFERS.matcher(plan);
                    if (m.find()) {
                        hit += Long.parseLong(m.group(1));
                        read += m.group(2) == null ? 0 : Long.parseLong(m.group(2));
                        statements++;
                    }
                }
                perRun.add("run " + run + ": " + statements + " statement(s), shared hit=" + hit + " read=" + read);
                lastPlans = plans.toString();
            }
            out.append("claim of 10 jobs over 600,000 (400,000 completed, 150,000 available, 50,000 scheduled)\n");
            perRun.forEach(r -> out.append(r).append('\n'));
            out.append("\nplans of the last run (auto_explain, inner statements first):\n").append(lastPlans);
        } finally {
            probe.drop();
        }
        Path file = Path.of("target", "claim-plan-report.txt");
        Files.writeString(file, out);
        System.out.println(out);
    }
}
