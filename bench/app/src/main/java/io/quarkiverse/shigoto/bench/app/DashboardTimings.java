package io.quarkiverse.shigoto.bench.app;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.bench.common.BenchArgs;
import io.quarkiverse.shigoto.bench.common.BenchResult;

/**
 * The dashboard at scale: N jobs in the table (most finished, as in a real deployment between prunes), then every
 * page requested over HTTP, 5 times to warm up and 30 times measured; p50/p95 per page in the note, the slowest
 * page's p50/p95 in the row.
 */
final class DashboardTimings {

    private static final int WARM_UP = 5;
    private static final int SAMPLES = 30;

    private DashboardTimings() {
    }

    static BenchResult run(BenchArgs args, Shigoto shigoto, AgroalDataSource dataSource) throws Exception {
        int n = args.n();
        for (int from = 0; from < n; from += 10_000) {
            List<JobRequest> chunk = new ArrayList<>(10_000);
            for (int i = from; i < Math.min(n, from + 10_000); i++) {
                chunk.add(JobRequest.of(NoopWorker.class).queue(i % 2 == 0 ? "bench" : "mail").arg("i", i)
                        .tags("t" + i % 10).partitionKey("tenant-" + i % 100));
            }
            shigoto.insertAll(chunk);
        }
        // 90% completed, 4% discarded, 3% scheduled, 2% retryable, 1% available: a busy table between prunes
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("UPDATE shigoto_jobs SET state = CASE WHEN id % 100 < 90 THEN 'completed'"
                    + " WHEN id % 100 < 94 THEN 'discarded' WHEN id % 100 < 97 THEN 'scheduled'"
                    + " WHEN id % 100 < 99 THEN 'retryable' ELSE 'available' END::shigoto_job_state,"
                    + " attempt = 1, attempted_at = now(), finished_at = CASE WHEN id % 100 < 94 THEN now() END,"
                    + " scheduled_at = CASE WHEN id % 100 BETWEEN 94 AND 98"
                    + " THEN now() + (id % 86400) * interval '1 second'"
                    + " ELSE scheduled_at END");
            st.execute("VACUUM ANALYZE shigoto_jobs");
        }
        long someId = someId(dataSource, n);
        int port = ConfigProvider.getConfig().getValue("quarkus.http.port", Integer.class);
        String base = "http://localhost:" + port + "/shigoto";
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("overview", base);
        pages.put("jobs", base + "/jobs");
        pages.put("jobs-deep-page", base + "/jobs?before=" + (someId / 2));
        pages.put("jobs-state-discarded", base + "/jobs?state=discarded");
        pages.put("jobs-state-available", base + "/jobs?state=available");
        // states no job is in: a walk of the primary key would read the whole table to fill the page
        pages.put("jobs-state-pending", base + "/jobs?state=pending");
        pages.put("jobs-state-executing", base + "/jobs?state=executing");
        pages.put("jobs-queue-mail", base + "/jobs?queue=mail");
        pages.put("jobs-tag", base + "/jobs?tag=t3");
        pages.put("jobs-partition", base + "/jobs?partition=tenant-42");
        pages.put("jobs-args-json", base + "/jobs?args=" + URLEncoder.encode("{\"i\": 12345}", StandardCharsets.UTF_8));
        pages.put("jobs-args-text", base + "/jobs?text=12345");
        pages.put("jobs-oldest", base + "/jobs?sort=oldest");
        pages.put("jobs-due-retryable", base + "/jobs?state=retryable&sort=due");
        pages.put("jobs-due-scheduled", base + "/jobs?state=scheduled&sort=due");
        pages.put("queues", base + "/queues");
        pages.put("queue-partitions", base + "/queues/mail");
        pages.put("job", base + "/jobs/" + someId);
        pages.put("api-jobs", base + "/api/jobs?state=retryable");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        StringBuilder note = new StringBuilder();
        double worstP50 = 0, worstP95 = 0;
        for (Map.Entry<String, String> page : pages.entrySet()) {
            double[] ms = time(http, page.getValue());
            double p50 = percentile(ms, 0.50), p95 = percentile(ms, 0.95);
            note.append(page.getKey()).append('=').append(round(p50)).append('/').append(round(p95)).append("ms;");
            if (p95 > worstP95) {
                worstP50 = p50;
                worstP95 = p95;
            }
        }
        return new BenchResult("dashboard", BenchMain.SYSTEM, n, null, worstP50, worstP95, null, null,
                "page=p50/p95:" + note);
    }

    private static double[] time(HttpClient http, String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build();
        double[] ms = new double[SAMPLES];
        for (int i = -WARM_UP; i < SAMPLES; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode());
            }
            if (i >= 0) {
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
        }
        return ms;
    }

    private static long someId(AgroalDataSource dataSource, int n) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                var rs = st.executeQuery("SELECT max(id) FROM shigoto_jobs")) {
            rs.next();
            return Math.max(1, rs.getLong(1) - n / 3);
        }
    }

    private static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static String round(double ms) {
        return String.format(java.util.Locale.ROOT, "%.1f", ms);
    }
}
