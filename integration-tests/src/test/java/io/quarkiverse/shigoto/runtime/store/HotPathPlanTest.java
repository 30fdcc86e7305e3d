package io.quarkiverse.shigoto.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import io.quarkiverse.shigoto.it.db.TestDatabase;

/**
 * The plans PostgreSQL caches for the engine's statements are right whatever the table held when they were cached.
 * A prepared statement runs on a custom plan five times, then on a generic plan (one for any parameter values) if
 * that looks no dearer; the generic plan is kept until the table's statistics change. Planned on a near-empty table
 * (a new install, a table just pruned), a join against a parameter array looks cheapest as a sequential scan, and a
 * completion that cost 0.2 ms then scans every row once the table holds 200,000: the continuous-load collapse. So
 * every hot-path statement's generic plan is checked twice, on a table of a few rows and again at 200,000 rows with
 * no ANALYZE in between (autovacuum off for the table), and must reach the job table only through an index; the
 * occasional statements the store plans afresh at every execution are checked at size. The
 * claim and completion functions are run for real under {@code auto_explain}, which shows the plans of the
 * statements inside them. Plain JUnit in the store's package (the statements are its own), in a schema of its own.
 */
class HotPathPlanTest {

    private static final Schema SCHEMA = Schema.of("shigoto_hot_plans");
    private static final Pattern NUMBERED = Pattern.compile("\\?(\\d+)");
    private static PGSimpleDataSource dataSource;

    /**
     * The statements the engine, the client and the maintenance services run while jobs flow, prepared as they are
     * (the dashboard's reads and the pruner's have tests of their own): their generic plans must be right at any
     * table size.
     */
    private static final Map<String, String> STATEMENTS = new LinkedHashMap<>();
    /**
     * The occasional statements the store has planned afresh at every execution ({@link Statements#plannedFresh}),
     * so no cached plan outlives the table it was made for: their plans are checked at size, with statistics.
     */
    private static final Map<String, String> PLANNED_FRESH = new LinkedHashMap<>();
    private static final Map<String, String> PARAMETER_TYPES = Map.of(
            "UNCLAIMABLE", "timestamptz, text, text, text",
            "CANCEL", "bigint, bigint, timestamptz, text, text",
            "BROADCAST_ABANDON", "bigint, integer, timestamptz, text, text",
            "BROADCAST_DELIVERIES", "bigint, integer",
            "BROADCAST_CLOSABLE", "integer",
            "BROADCAST_ROLE", "bigint");

    static {
        STATEMENTS.put("FINISH", JobStore.FINISH);
        STATEMENTS.put("FINISH_COMPLETED", JobStore.FINISH_COMPLETED);
        STATEMENTS.put("PROGRESS", JobControls.PROGRESS);
        STATEMENTS.put("PROGRESS_ONE", JobControls.PROGRESS_ONE);
        STATEMENTS.put("UNCLAIM", JobStore.UNCLAIM);
        STATEMENTS.put("INSERT_ONE", JobInserts.INSERT_ONE);
        STATEMENTS.put("INSERT_ONE_WAKE", JobInserts.INSERT_ONE_WAKE);
        STATEMENTS.put("INSERT_MANY", JobInserts.INSERT_MANY);
        STATEMENTS.put("INSERT_JSON", JobInserts.INSERT_JSON);
        STATEMENTS.put("INSERT_UNIQUE_JSON", JobInserts.INSERT_UNIQUE_JSON);
        STATEMENTS.put("INSERT_DEPS_JSON", Dependencies.INSERT_DEPS_JSON);
        STATEMENTS.put("STAGE", JobStore.STAGE);
        STATEMENTS.put("NEXT_DUE", JobStore.NEXT_DUE);
        STATEMENTS.put("SNOOZE", JobControls.SNOOZE);
        STATEMENTS.put("DELETE_SATISFIED_EDGES", Dependencies.DELETE_SATISFIED_EDGES);
        STATEMENTS.put("JOB_BY_ID", JobStore.JOB_BY_ID);
        STATEMENTS.put("LOST_NODES", MaintenanceStore.LOST_NODES);
        STATEMENTS.put("LOST_JOBS", MaintenanceStore.LOST_JOBS);
        STATEMENTS.put("NODES_FORGET", MaintenanceStore.NODES_FORGET);
        STATEMENTS.put("EXECUTING_ON", MaintenanceStore.EXECUTING_ON);
        STATEMENTS.put("OVERDUE", MaintenanceStore.OVERDUE);
        STATEMENTS.put("SHEDDING_BANDS", SheddingStore.BANDS);

        PLANNED_FRESH.put("UNCLAIMABLE", JobStore.UNCLAIMABLE);
        PLANNED_FRESH.put("NOT_EXECUTING", JobStore.NOT_EXECUTING);
        PLANNED_FRESH.put("PARENT_STATES_JSON", Dependencies.PARENT_STATES_JSON);
        PLANNED_FRESH.put("DEPENDENCY_RESULTS", Dependencies.DEPENDENCY_RESULTS);
        PLANNED_FRESH.put("CANCEL", JobControls.CANCEL);
        PLANNED_FRESH.put("RETRY", JobControls.RETRY);
        PLANNED_FRESH.put("DELETE", JobControls.DELETE);
        PLANNED_FRESH.put("ENCRYPTED_NEXT", EncryptedRows.NEXT);
        PLANNED_FRESH.put("ENCRYPTED_REWRITE", EncryptedRows.REWRITE);
        PLANNED_FRESH.put("SHEDDING_DEFER", SheddingStore.DEFER);
        PLANNED_FRESH.put("BROADCAST_ABANDON", BroadcastStore.ABANDON);
        PLANNED_FRESH.put("BROADCAST_DELIVERIES", BroadcastStore.DELIVERIES);
        PLANNED_FRESH.put("BROADCAST_ROLE", BroadcastStore.ROLE);
        PLANNED_FRESH.put("BROADCAST_CLOSABLE", BroadcastStore.CLOSABLE);
    }

    /** Calls of the functions that hold claim and completion statements, each run in a rolled-back transaction. */
    private static final Map<String, String> FUNCTION_CALLS = new LinkedHashMap<>();

    static {
        FUNCTION_CALLS.put("shigoto_claim", "SELECT count(*) FROM {schema}.shigoto_claim('default', 10, now(), 'n1')");
        FUNCTION_CALLS.put("shigoto_claim_fair",
                "SELECT count(*) FROM {schema}.shigoto_claim_fair('default', 10, now(), 'n1', NULL)");
        FUNCTION_CALLS.put("shigoto_claim_limited", "SELECT count(*) FROM {schema}.shigoto_claim_limited('default', 10,"
                + " now(), 'n1', 10, ARRAY['noop'], ARRAY[2], ARRAY[0], ARRAY[0]::bigint[], false, NULL)");
        FUNCTION_CALLS.put("shigoto_claim_deliveries",
                "SELECT count(*) FROM {schema}.shigoto_claim_deliveries('default', 10, now(), 'n1')");
        FUNCTION_CALLS.put("shigoto_broadcast_fan_out",
                "SELECT count(*) FROM {schema}.shigoto_broadcast_fan_out('default', 10, now(), 30000, 'wake', 'n1')");
        FUNCTION_CALLS.put("shigoto_broadcast_close", "SELECT {schema}.shigoto_broadcast_close(1, now())");
        FUNCTION_CALLS.put("shigoto_finish_completed",
                "SELECT count(*) FROM {schema}.shigoto_finish_completed(now(), ARRAY[1, 2]::bigint[], ARRAY[1, 1])");
        FUNCTION_CALLS.put("shigoto_finish", "SELECT count(*) FROM {schema}.shigoto_finish(ARRAY[1]::bigint[],"
                + " ARRAY[1], ARRAY['retryable'], ARRAY[now()], ARRAY[NULL]::timestamptz[], ARRAY[0], ARRAY[NULL],"
                + " ARRAY['{\"type\": \"x\"}'], ARRAY[NULL]::smallint[])");
        FUNCTION_CALLS.put("shigoto_progress",
                "SELECT {schema}.shigoto_progress(ARRAY[1]::bigint[], ARRAY[1], ARRAY[50]::smallint[])");
        FUNCTION_CALLS.put("shigoto_unclaim", "SELECT {schema}.shigoto_unclaim(ARRAY[1]::bigint[], ARRAY[1])");
        FUNCTION_CALLS.put("shigoto_resolve_dependents",
                "SELECT count(*) FROM {schema}.shigoto_resolve_dependents(ARRAY[1, 2]::bigint[], now(), 'now')");
        FUNCTION_CALLS.put("shigoto_resolve_jobs",
                "SELECT count(*) FROM {schema}.shigoto_resolve_jobs(ARRAY[1, 3]::bigint[], now(), 'now')");
        FUNCTION_CALLS.put("shigoto_resolve_pending",
                "SELECT count(*) FROM {schema}.shigoto_resolve_pending(0, 100, now(), 'now')");
    }

    @BeforeAll
    static void createTheSchema() throws SQLException {
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(TestDatabase.get().jdbcUrlWithCredentials());
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA.name() + " CASCADE");
            Migrator.migrate(c, SCHEMA);
            st.execute(SCHEMA.render("ALTER TABLE {schema}.shigoto_jobs SET (autovacuum_enabled = off)"));
            st.execute(SCHEMA.render("ALTER TABLE {schema}.shigoto_job_deps SET (autovacuum_enabled = off)"));
        }
    }

    @AfterAll
    static void dropTheSchema() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA " + SCHEMA.name() + " CASCADE");
        }
    }

    @Test
    void everyHotPathPlanReachesJobsThroughAnIndexOnANearEmptyTableAndAtTwoHundredThousandRows() throws SQLException {
        // a new install: a handful of jobs in every state a hot path reads, one dependency edge
        fill(1, 2);
        assertPlans("near-empty table", STATEMENTS);
        fill(3, 100_000);
        assertPlans("200,000 rows, no ANALYZE since the table was near-empty", STATEMENTS);
        // the statements planned fresh are planned with the statistics of their moment, which autovacuum keeps
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(SCHEMA.render("ANALYZE {schema}.shigoto_jobs, {schema}.shigoto_job_deps"));
        }
        assertPlans("200,000 rows, analyzed", PLANNED_FRESH);
    }

    @Test
    void aStatementPlannedFreshIsNeverPreparedOnTheServerWhereItsPlanCouldBeCached() throws SQLException {
        String fresh = SCHEMA.render("SELECT count(*) FROM {schema}.shigoto_jobs WHERE id = ANY(?) /* fresh */");
        String cached = SCHEMA.render("SELECT count(*) FROM {schema}.shigoto_jobs WHERE id = ANY(?) /* cached */");
        try (Connection c = dataSource.getConnection()) {
            for (int i = 0; i < 10; i++) {
                for (String sql : new String[] { fresh, cached }) {
                    try (var st = sql == fresh ? Statements.plannedFresh(c.prepareStatement(sql))
                            : c.prepareStatement(sql)) {
                        st.setArray(1, c.createArrayOf("int8", new Long[] { 1L, 2L }));
                        st.executeQuery().close();
                    }
                }
            }
            List<String> prepared = new ArrayList<>();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT statement FROM pg_prepared_statements")) {
                while (rs.next()) {
                    prepared.add(rs.getString(1));
                }
            }
            // the same statement without the mark is prepared on the server after five executions (pgjdbc's
            // prepareThreshold), which is what makes a cached generic plan possible
            assertThat(prepared).anyMatch(p -> p.contains("/* cached */")).noneMatch(p -> p.contains("/* fresh */"));
        }
    }

    /**
     * Adds {@code perState} completed and executing jobs, up to 1,000 available and pending ones, and one dependency
     * edge.
     */
    private static void fill(int from, int perState) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(SCHEMA.render("INSERT INTO {schema}.shigoto_jobs (kind, state, attempt, attempted_at, attempted_by,"
                    + " finished_at) SELECT 'noop', s::{schema}.shigoto_job_state, 1, now(), 'n1',"
                    + " CASE WHEN s = 'completed' THEN now() END"
                    + " FROM generate_series(1, " + perState + ") g,"
                    + " unnest(ARRAY['completed', 'executing']) s"));
            st.execute(SCHEMA.render("INSERT INTO {schema}.shigoto_jobs (kind, state) SELECT 'noop', 'available'"
                    + " FROM generate_series(1, least(" + perState + ", 1000))"));
            st.execute(SCHEMA.render("INSERT INTO {schema}.shigoto_jobs (kind, state) SELECT 'noop', 'pending'"
                    + " FROM generate_series(1, least(" + perState + ", 1000))"));
            st.execute(SCHEMA.render("INSERT INTO {schema}.shigoto_job_deps (job_id, depends_on) VALUES ("
                    + from + ", " + (from + 1) + ")"));
            // as many edges again as there are completed jobs: a table that has run dependent jobs for a while
            st.execute(SCHEMA.render("INSERT INTO {schema}.shigoto_job_deps (job_id, depends_on)"
                    + " SELECT id, id - 1 FROM {schema}.shigoto_jobs WHERE state = 'completed' AND id > " + (from + 1)
                    + " ON CONFLICT DO NOTHING"));
        }
    }

    private static void assertPlans(String when, Map<String, String> statements) throws SQLException {
        List<String> seqScans = new ArrayList<>();
        for (Map.Entry<String, String> s : statements.entrySet()) {
            String plan = genericPlan(s.getKey(), s.getValue());
            if (scansATable(plan)) {
                seqScans.add(s.getKey() + ":\n" + plan);
            }
        }
        for (Map.Entry<String, String> f : canLoadAutoExplain() ? FUNCTION_CALLS.entrySet()
                : Map.<String, String> of().entrySet()) {
            String plans = functionPlans(SCHEMA.render(f.getValue()));
            assertThat(plans).as("auto_explain shows the plans inside %s", f.getKey()).contains("Query Text");
            if (scansATable(plans)) {
                seqScans.add(f.getKey() + " (inside the function):\n" + plans);
            }
        }
        assertThat(seqScans).as("generic plans that scan a whole table (%s)", when).isEmpty();
    }

    private static boolean scansATable(String plan) {
        return plan.contains("Seq Scan on shigoto_jobs") || plan.contains("Seq Scan on shigoto_job_deps");
    }

    /** The generic plan of a statement as the store sends it: its placeholders become numbered parameters. */
    private static String genericPlan(String name, String sql) throws SQLException {
        String rendered = SCHEMA.render(sql).replace("{where}", "").replace("{text}", "");
        StringBuilder numbered = new StringBuilder();
        Matcher m = NUMBERED.matcher(rendered);
        int count = 0;
        if (m.find()) {
            m.reset();
            while (m.find()) {
                count = Math.max(count, Integer.parseInt(m.group(1)));
                m.appendReplacement(numbered, "\\$" + m.group(1));
            }
            m.appendTail(numbered);
        } else {
            for (char ch : rendered.toCharArray()) {
                if (ch == '?') {
                    numbered.append('$').append(++count);
                } else {
                    numbered.append(ch);
                }
            }
        }
        String types = PARAMETER_TYPES.get(name);
        String nulls = String.join(", ", java.util.Collections.nCopies(count, "NULL"));
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("SET plan_cache_mode = force_generic_plan");
            st.execute("PREPARE hot" + (types != null ? "(" + types + ")" : "") + " AS " + numbered);
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = st.executeQuery("EXPLAIN EXECUTE hot" + (count > 0 ? "(" + nulls + ")" : ""))) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }

    /**
     * @return whether this session may load {@code auto_explain} (a superuser may; the embedded server's and a
     *         Testcontainers server's users are): on an external server without the right, the functions' plans go
     *         unchecked, with a warning
     */
    private static boolean canLoadAutoExplain() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("LOAD 'auto_explain'");
            return true;
        } catch (SQLException e) {
            System.err.println("HotPathPlanTest cannot load auto_explain (" + e.getMessage()
                    + "): the plans inside the claim and completion functions are not checked on this server");
            return false;
        }
    }

    /**
     * Runs a function call with generic plans forced and {@code auto_explain} reporting the plan of every statement
     * inside it to this session; the transaction is rolled back.
     */
    private static String functionPlans(String call) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("LOAD 'auto_explain'");
            st.execute("SET auto_explain.log_min_duration = 0");
            st.execute("SET auto_explain.log_nested_statements = on");
            st.execute("SET auto_explain.log_level = notice");
            st.execute("SET client_min_messages = notice");
            st.execute("SET plan_cache_mode = force_generic_plan");
            c.setAutoCommit(false);
            st.clearWarnings();
            st.execute(call);
            StringBuilder plans = new StringBuilder();
            for (SQLWarning w = st.getWarnings(); w != null; w = w.getNextWarning()) {
                plans.append(w.getMessage()).append('\n');
            }
            c.rollback();
            return plans.toString();
        }
    }
}
