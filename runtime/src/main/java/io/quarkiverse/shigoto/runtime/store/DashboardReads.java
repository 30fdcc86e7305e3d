package io.quarkiverse.shigoto.runtime.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.sql.DataSource;

import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;

/**
 * The dashboard's reads. Over 300 lines: a quarter of it is its statements, kept beside the code that binds them, and
 * each dashboard view needs a read of its own. Counting a big table on every page view would cost seconds at a million
 * rows, so counts are exact only while the table is small and come from the planner's statistics beyond that. Besides
 * {@code {schema}}, the reads of a selection carry {@code {where}}, which {@link JobSelection#render} fills in, and
 * {@link #jobs} fills {@link #JOBS_PAGE}'s {@code {text}} with the search's condition or nothing; every value is a
 * bound parameter (a selection's states aside, see {@link Schema#render}).
 */
public final class DashboardReads {

    // how many jobs of a selection are in the given states, for a bulk confirmation; stops counting at the cap
    private static final String COUNT_MATCHING = """
            SELECT count(*) FROM (
                SELECT 1 FROM {schema}.shigoto_jobs
                WHERE state::text = ANY(?::text[]) {where}
                LIMIT ?
            ) capped
            """;

    // what the live updates compare: the state, attempt, progress and error count of the given jobs (primary-key
    // lookups), and with the second parameter the newest job's id (one backward step of the primary key)
    private static final String FINGERPRINT = """
            SELECT concat_ws('|',
                       (SELECT string_agg(id || ':' || state || ':' || attempt || ':' || coalesce(progress, -1)
                                          || ':' || jsonb_array_length(errors), ',' ORDER BY id)
                        FROM {schema}.shigoto_jobs WHERE id = ANY(?::bigint[])),
                       CASE WHEN ? THEN (SELECT max(id) FROM {schema}.shigoto_jobs)::text END)
            """;

    // a page of the dashboard's jobs list: newest first, between two ids (the lower bound keeps an args search to
    // a window of the table), so deep pages cost no OFFSET scan; {text} is empty or a case-insensitive args search
    private static final String JOBS_PAGE = SharedSql.JOB_COLUMNS + """
            FROM {schema}.shigoto_jobs
            WHERE id < ? AND id > ? {where} {text}
            ORDER BY id DESC
            LIMIT ?
            """;

    // a page of scheduled and retryable jobs of a selection soonest due first, after a (scheduled_at, id) cursor:
    // the due index gives the order, scheduled_at >= ? its starting point (a row comparison alone cannot use it)
    private static final String JOBS_PAGE_DUE = SharedSql.JOB_COLUMNS + """
            FROM {schema}.shigoto_jobs
            WHERE state IN ('scheduled', 'retryable') AND scheduled_at >= ? AND (scheduled_at, id) > (?, ?) {where}
            ORDER BY scheduled_at, id
            LIMIT ?
            """;

    // the newest job's id (one step down the primary key)
    private static final String MAX_ID = """
            SELECT coalesce(max(id), 0) FROM {schema}.shigoto_jobs
            """;

    // available and executing jobs of one queue by partition key: keyed available jobs through the partition index
    // alone (index-only: the key is in it), up to ? rows; limited ones through the limited index (few); executing
    // ones through the executing index (at most the running attempts, plus lost nodes' jobs). Jobs without a key are
    // left out: the queue's own available count less these gives them without reading the backlog
    private static final String PARTITION_COUNTS = """
            SELECT partition_key, 'available', count(*) FROM (
                SELECT partition_key FROM {schema}.shigoto_jobs
                WHERE state = 'available' AND queue = ? AND partition_key IS NOT NULL AND limit_key IS NULL LIMIT ?) a
            GROUP BY partition_key
            UNION ALL
            SELECT partition_key, 'available', count(*) FROM (
                SELECT partition_key FROM {schema}.shigoto_jobs
                WHERE state = 'available' AND queue = ? AND limit_key IS NOT NULL AND partition_key IS NOT NULL
                LIMIT ?) l
            GROUP BY partition_key
            UNION ALL
            SELECT partition_key, 'executing', count(*) FROM {schema}.shigoto_jobs
            WHERE state = 'executing' AND attempted_by IS NOT NULL AND queue = ?
            GROUP BY partition_key
            """;

    // waiting jobs by queue and state, each count capped at ? rows, so a big backlog costs a bounded read: the queues
    // with available (plain, then limited) and with scheduled or retryable jobs are found with one index probe each
    // (a skip scan: the next queue after the last one found), then each is counted through the same partial index
    // alone, up to the cap
    private static final String QUEUE_COUNTS = """
            WITH RECURSIVE plain(queue) AS (
                (SELECT queue FROM {schema}.shigoto_jobs
                 WHERE state = 'available' AND limit_key IS NULL ORDER BY queue LIMIT 1)
                UNION ALL
                SELECT (SELECT j.queue FROM {schema}.shigoto_jobs j
                        WHERE j.state = 'available' AND j.limit_key IS NULL AND j.queue > p.queue
                        ORDER BY j.queue LIMIT 1)
                FROM plain p WHERE p.queue IS NOT NULL
            ), limited(queue) AS (
                (SELECT queue FROM {schema}.shigoto_jobs
                 WHERE state = 'available' AND limit_key IS NOT NULL ORDER BY queue LIMIT 1)
                UNION ALL
                SELECT (SELECT j.queue FROM {schema}.shigoto_jobs j
                        WHERE j.state = 'available' AND j.limit_key IS NOT NULL AND j.queue > l.queue
                        ORDER BY j.queue LIMIT 1)
                FROM limited l WHERE l.queue IS NOT NULL
            ), due(queue, state) AS (
                (SELECT queue, state FROM {schema}.shigoto_jobs
                 WHERE state IN ('scheduled', 'retryable') ORDER BY queue, state LIMIT 1)
                UNION ALL
                SELECT n.queue, n.state FROM due d, LATERAL (
                    SELECT j.queue, j.state FROM {schema}.shigoto_jobs j
                    WHERE j.state IN ('scheduled', 'retryable') AND (j.queue, j.state) > (d.queue, d.state)
                    ORDER BY j.queue, j.state LIMIT 1) n
            )
            SELECT p.queue, 'available', (SELECT count(*) FROM (SELECT 1 FROM {schema}.shigoto_jobs j
                    WHERE j.state = 'available' AND j.limit_key IS NULL AND j.queue = p.queue LIMIT ?) x)
            FROM plain p WHERE p.queue IS NOT NULL
            UNION ALL
            SELECT l.queue, 'available', (SELECT count(*) FROM (SELECT 1 FROM {schema}.shigoto_jobs j
                    WHERE j.state = 'available' AND j.limit_key IS NOT NULL AND j.queue = l.queue LIMIT ?) x)
            FROM limited l WHERE l.queue IS NOT NULL
            UNION ALL
            SELECT d.queue, d.state::text, (SELECT count(*) FROM (SELECT 1 FROM {schema}.shigoto_jobs j
                    WHERE j.state IN ('scheduled', 'retryable') AND j.state = d.state AND j.queue = d.queue
                    LIMIT ?) x)
            FROM due d
            """;

    // exact job counts by state, for the dashboard while the table is small
    private static final String STATE_COUNTS = """
            SELECT state::text, count(*) FROM {schema}.shigoto_jobs GROUP BY state
            """;

    // the planner's job counts by state: its row estimate times the state frequencies of the last ANALYZE; no scan
    private static final String STATE_ESTIMATES = """
            SELECT f.state, round(greatest(c.reltuples, 0) * f.freq)::bigint
            FROM pg_class c,
                 pg_stats s,
                 unnest(s.most_common_vals::text::text[], s.most_common_freqs) AS f(state, freq)
            WHERE c.oid = to_regclass(?) AND s.schemaname = ? AND s.tablename = 'shigoto_jobs' AND s.attname = 'state'
            """;

    // the planner's row count of a table (-1 before its first ANALYZE)
    private static final String TABLE_ESTIMATE = """
            SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?)
            """;

    /** The health check and the gauges count at most this many waiting jobs per queue and state. */
    public static final long QUEUE_COUNT_CAP = 100_000;

    /**
     * The dashboard's pages count at most this many waiting jobs per queue and state, then show the cap with a
     * {@code +}: a page view reads a bounded number of index entries however big the backlog. Small on purpose: a
     * page shows several queues times three states, and right after a mass insert (before vacuum marks the pages
     * all-visible) every entry read also costs a table fetch; at 10,000 the overview's slowest views over a million
     * jobs took ~300 ms, at 1,000 they stay as fast as over 100,000 jobs.
     */
    public static final long PAGE_COUNT_CAP = 1_000;

    /**
     * The queue page reads at most this many keyed available jobs of a queue for its partitions: enough for the
     * breakdown by key to show which tenants hold the queue, bounded all the same.
     */
    public static final long PARTITION_COUNT_CAP = 10_000;

    /**
     * Waiting jobs by queue and state.
     *
     * @param counts by queue, by state name (available, scheduled, retryable)
     * @param cappedByQueue by queue, the state names whose counts stopped at the cap (true counts are higher)
     */
    public record QueueCounts(Map<String, Map<String, Long>> counts, Map<String, Set<String>> cappedByQueue) {

        /** @return the count of a queue in a state, 0 when none */
        public long of(String queue, String state) {
            return counts.getOrDefault(queue, Map.of()).getOrDefault(state, 0L);
        }

        /** @return whether the count of a queue in a state stopped at the cap */
        public boolean capped(String queue, String state) {
            return cappedByQueue.getOrDefault(queue, Set.of()).contains(state);
        }

        /** @return the state names whose count stopped at the cap in at least one queue */
        public Set<String> capped() {
            Set<String> states = new TreeSet<>();
            cappedByQueue.values().forEach(states::addAll);
            return states;
        }
    }

    /** @return waiting jobs by queue and state, each counted up to {@link #QUEUE_COUNT_CAP} */
    public QueueCounts queueCounts() throws SQLException {
        return queueCounts(QUEUE_COUNT_CAP);
    }

    /**
     * @param cap the most jobs counted per queue and state (available ones with and without a limit apart)
     * @return waiting jobs by queue and state; reads one index probe per queue and state and at most {@code cap}
     *         index entries per count
     */
    public QueueCounts queueCounts(long cap) throws SQLException {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        Map<String, Set<String>> capped = new TreeMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(QUEUE_COUNTS))) {
            st.setLong(1, cap);
            st.setLong(2, cap);
            st.setLong(3, cap);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String queue = rs.getString(1);
                    String state = rs.getString(2);
                    long n = rs.getLong(3);
                    counts.computeIfAbsent(queue, q -> new LinkedHashMap<>()).merge(state, n, Long::sum);
                    if (n >= cap) {
                        capped.computeIfAbsent(queue, q -> new TreeSet<>()).add(state);
                    }
                }
            }
        }
        return new QueueCounts(counts, capped);
    }

    /**
     * A queue's available and executing jobs of one partition key.
     *
     * @param key the partition key, or {@code null} for jobs without one
     * @param available available jobs
     * @param executing executing jobs
     */
    public record PartitionCount(String key, long available, long executing) {
    }

    /**
     * The partitions of a queue.
     *
     * @param partitions the keys with available or executing jobs, most available first
     * @param keyedAvailable the available jobs with a key, over every key
     * @param capped whether counting stopped at {@link #PARTITION_COUNT_CAP} rows (true counts are higher)
     */
    public record Partitions(List<PartitionCount> partitions, long keyedAvailable, boolean capped) {
    }

    /**
     * @return the available and executing jobs of a queue by partition key, keyed available ones read up to
     *         {@link #PARTITION_COUNT_CAP}
     */
    public Partitions partitions(String queue) throws SQLException {
        Map<String, long[]> byKey = new LinkedHashMap<>();
        long available = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(PARTITION_COUNTS))) {
            st.setString(1, queue);
            st.setLong(2, PARTITION_COUNT_CAP);
            st.setString(3, queue);
            st.setLong(4, PARTITION_COUNT_CAP);
            st.setString(5, queue);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long[] n = byKey.computeIfAbsent(rs.getString(1), k -> new long[2]);
                    long count = rs.getLong(3);
                    if (rs.getString(2).equals("available")) {
                        n[0] += count;
                        available += count;
                    } else {
                        n[1] += count;
                    }
                }
            }
        }
        List<PartitionCount> list = new ArrayList<>(byKey.size());
        byKey.forEach((k, n) -> list.add(new PartitionCount(k, n[0], n[1])));
        list.sort(java.util.Comparator.comparingLong(PartitionCount::available).reversed()
                .thenComparing(java.util.Comparator.comparingLong(PartitionCount::executing).reversed())
                .thenComparing(PartitionCount::key, java.util.Comparator.nullsLast(String::compareTo)));
        return new Partitions(list, available, available >= PARTITION_COUNT_CAP);
    }

    /** A bulk confirmation counts at most this many jobs (then says "more than"). */
    public static final long COUNT_CAP = 100_000;

    /** Up to this many rows (by the planner's estimate) the overview counts exactly. */
    static final long EXACT_UP_TO = 100_000;

    private final DataSource dataSource;
    private final Schema schema;

    DashboardReads(DataSource dataSource, Schema schema) {
        this.dataSource = dataSource;
        this.schema = schema;
    }

    /** @return a count for every state, in state order: exact while the table is small, else estimated */
    public List<StateCount> stateCounts() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long rows = single(c, TABLE_ESTIMATE, schema.name() + ".shigoto_jobs");
            return counts(c, rows > EXACT_UP_TO);
        }
    }

    /** @return the planner's estimate for every state (what {@link #stateCounts()} answers for a big table) */
    public List<StateCount> estimatedStateCounts() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return counts(c, true);
        }
    }

    private List<StateCount> counts(Connection c, boolean estimated) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        String sql = estimated ? STATE_ESTIMATES : schema.render(STATE_COUNTS);
        try (PreparedStatement st = c.prepareStatement(sql)) {
            if (estimated) {
                st.setString(1, schema.name() + ".shigoto_jobs");
                st.setString(2, schema.name());
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        List<StateCount> all = new ArrayList<>();
        for (JobState s : JobState.values()) {
            all.add(new StateCount(s.dbName(), counts.getOrDefault(s.dbName(), 0L), estimated));
        }
        return all;
    }

    /** An args search looks at this many ids per page at most, so it never walks the whole table. */
    public static final long SEARCH_WINDOW = 100_000;

    /**
     * One page of the jobs list.
     *
     * @param jobs the jobs, newest first
     * @param next the {@code before} of the next page, or {@code null} on the last one
     * @param searchedDownTo for an args search that looked at a window of ids only, the lowest id it looked at;
     *        else {@code null}
     */
    public record Page(List<JobView> jobs, Long next, Long searchedDownTo) {
    }

    /**
     * A page of jobs of a selection with an id below {@code beforeId}, newest first. Filters on indexed columns walk
     * the primary key backwards until the page is full; an args search (JSON containment or text), which no index
     * serves, looks at {@link #SEARCH_WINDOW} ids at most and says where to go on.
     *
     * @param text text the args must contain (case-insensitive), or {@code null}
     */
    public Page jobs(JobSelection selection, String text, long beforeId, int pageSize) throws SQLException {
        boolean search = text != null || selection.argsJson() != null;
        String sql = selection.render(JOBS_PAGE, schema)
                .replace("{text}", text == null ? "" : "AND strpos(lower(args::text), lower(?)) > 0");
        List<JobView> jobs = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            long before = beforeId;
            long after = 0;
            if (search) {
                if (before == Long.MAX_VALUE) {
                    try (PreparedStatement st = c.prepareStatement(schema.render(MAX_ID));
                            ResultSet rs = st.executeQuery()) {
                        rs.next();
                        before = rs.getLong(1) + 1;
                    }
                }
                after = Math.max(0, before - 1 - SEARCH_WINDOW);
            }
            try (PreparedStatement st = c.prepareStatement(sql)) {
                st.setLong(1, before);
                st.setLong(2, after);
                int i = selection.bind(c, st, 3);
                if (text != null) {
                    st.setString(i++, text);
                }
                st.setInt(i, pageSize + 1);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        jobs.add(JobStore.view(rs));
                    }
                }
            }
            if (jobs.size() > pageSize) {
                return new Page(jobs.subList(0, pageSize), jobs.get(pageSize - 1).id(), null);
            }
            return new Page(jobs, after > 0 ? after + 1 : null, after > 0 ? after + 1 : null);
        }
    }

    /**
     * A page of jobs of a selection in insertion order, oldest first, with an id above {@code afterId}.
     *
     * @return the jobs, and the cursor of the next page ({@code after}) or {@code null} on the last one
     */
    public Page oldest(JobSelection selection, long afterId, int pageSize) throws SQLException {
        List<JobView> jobs = page(selection.render(SharedSql.JOBS, schema), selection, pageSize, st -> {
            st.setLong(1, afterId);
            return 2;
        });
        return jobs.size() > pageSize ? new Page(jobs.subList(0, pageSize), jobs.get(pageSize - 1).id(), null)
                : new Page(jobs, null, null);
    }

    /**
     * A page of the scheduled and retryable jobs of a selection soonest due first, after the job {@code (afterDue, afterId)} in
     * that order.
     *
     * @return the jobs; the next page starts after the last one, {@code next} is {@code null} on the last page
     */
    public Page due(JobSelection selection, Instant afterDue, long afterId, int pageSize) throws SQLException {
        List<JobView> jobs = page(selection.render(JOBS_PAGE_DUE, schema), selection, pageSize, st -> {
            st.setObject(1, JobStore.timestamp(afterDue));
            st.setObject(2, JobStore.timestamp(afterDue));
            st.setLong(3, afterId);
            return 4;
        });
        return jobs.size() > pageSize ? new Page(jobs.subList(0, pageSize), jobs.get(pageSize - 1).id(), null)
                : new Page(jobs, null, null);
    }

    private interface Cursor {
        /** Binds the cursor's parameters; answers the next parameter's index. */
        int bind(PreparedStatement st) throws SQLException;
    }

    private List<JobView> page(String sql, JobSelection selection, int pageSize, Cursor cursor) throws SQLException {
        List<JobView> jobs = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            int i = selection.bind(c, st, cursor.bind(st));
            st.setInt(i, pageSize + 1);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    jobs.add(JobStore.view(rs));
                }
            }
        }
        return jobs;
    }

    /** @return how many jobs of a selection are in one of the states, counting at most {@link #COUNT_CAP} + 1 */
    public long countMatching(JobSelection selection, List<String> states) throws SQLException {
        String sql = selection.render(COUNT_MATCHING, schema);
        try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setArray(1, c.createArrayOf("text", states.toArray()));
            int i = selection.bind(c, st, 2);
            st.setLong(i, COUNT_CAP + 1);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * A short text that changes whenever what a page shows changes: for {@code overview} the job counts by state
     * and the queue controls; for {@code jobs:<ids>} the newest job's id and the listed jobs' states, attempts and
     * progress; for {@code job:<id>} that job's state, attempt, progress and errors.
     */
    public String fingerprint(String watch) throws SQLException {
        if (watch.equals("overview")) {
            return overviewFingerprint(stateCounts());
        }
        String[] parts = watch.split(":", 2);
        List<Long> ids = new ArrayList<>();
        if (!parts[1].isEmpty()) {
            for (String id : parts[1].split(",")) {
                ids.add(Long.parseLong(id));
            }
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(FINGERPRINT))) {
            st.setArray(1, c.createArrayOf("int8", ids.toArray()));
            st.setBoolean(2, parts[0].equals("jobs"));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /**
     * The overview's fingerprint for counts already read (the page reads them once for itself and its stream): the
     * counts and the queue controls.
     */
    public String overviewFingerprint(List<StateCount> counts) throws SQLException {
        StringBuilder sb = new StringBuilder();
        counts.forEach(c -> sb.append(c.state()).append('=').append(c.count()).append(';'));
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(schema.render(SharedSql.QUEUES));
                ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                sb.append(rs.getString(1)).append(rs.getBoolean(2)).append(rs.getObject(3)).append(rs.getObject(4))
                        .append(';');
            }
        }
        return sb.toString();
    }

    private static long single(Connection c, String sql, String param) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, param);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
