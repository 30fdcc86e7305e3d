package io.quarkiverse.shigoto.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class BulkInsertTest {

    @Inject
    Shigoto shigoto;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void oneHundredThousandJobsInOneCallAreStoredInOrder() throws Exception {
        List<JobRequest> requests = new ArrayList<>(100_000);
        for (int i = 0; i < 100_000; i++) {
            // a queue no node runs, so the jobs stay available for inspection
            requests.add(JobRequest.of("echo").queue("parked-bulk").arg("i", i).tags("bulk", "t" + (i % 3)));
        }
        List<JobView> jobs = shigoto.insertAll(requests);
        try {
            assertThat(jobs).hasSize(100_000);
            assertThat(jobs).extracting(JobView::state).containsOnly(JobState.AVAILABLE);
            assertThat(JobRows.single(dataSource, "SELECT count(*) FROM shigoto_jobs WHERE queue = 'parked-bulk'"))
                    .isEqualTo(100_000);
            // answered ids match the request order: job i holds args.i == i
            for (int i : new int[] { 0, 1, 4_999, 5_000, 54_321, 99_999 }) {
                JobView stored = shigoto.job(jobs.get(i).id()).orElseThrow();
                assertThat(stored.args()).containsEntry("i", i);
                assertThat(stored.tags()).containsExactly("bulk", "t" + (i % 3));
            }
        } finally {
            JobRows.execute(dataSource, "DELETE FROM shigoto_jobs WHERE queue = 'parked-bulk'");
        }
    }

    @Test
    void tagsWithQuotesAndBackslashesSurviveTheBulkPath() {
        List<JobView> jobs = shigoto.insertAll(List.of(
                JobRequest.of("echo").queue("parked-tags").tags("a\"b", "c\\d", "e,f", "{g}"),
                JobRequest.of("echo").queue("parked-tags").tags(List.<String> of())));
        assertThat(shigoto.job(jobs.get(0).id()).orElseThrow().tags()).containsExactly("a\"b", "c\\d", "e,f", "{g}");
        assertThat(shigoto.job(jobs.get(1).id()).orElseThrow().tags()).isEmpty();
    }

    @Test
    void theCopyPathKeepsTabsNewlinesBackslashesAndQuotesIntact() {
        // 1,500 rows take the COPY path, whose text format escapes these characters
        Map<String, Object> tricky = Map.of("text", "tab\there\nnew line\\back\\slash \"quoted\" \u00e9\u2713",
                "nested", Map.of("path", "C:\\dir\\file", "list", List.of("a\tb", "c\rd")));
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            requests.add(JobRequest.of("echo").queue("parked-copy").args(tricky).arg("i", i)
                    .meta(Map.of("m", "x\ty")).tags("t\"1", "back\\slash", "tab\tbed").partitionKey("p\t" + i));
        }
        List<JobView> jobs = shigoto.insertAll(requests);
        try {
            for (int i : new int[] { 0, 777, 1_499 }) {
                JobView stored = shigoto.job(jobs.get(i).id()).orElseThrow();
                Map<String, Object> expected = new java.util.HashMap<>(tricky);
                expected.put("i", i);
                assertThat(stored.args()).isEqualTo(expected);
                assertThat(stored.meta()).isEqualTo(Map.of("m", "x\ty"));
                assertThat(stored.tags()).containsExactly("t\"1", "back\\slash", "tab\tbed");
                assertThat(stored.partitionKey()).isEqualTo("p\t" + i);
                assertThat(stored.state()).isEqualTo(JobState.AVAILABLE);
            }
        } finally {
            try {
                JobRows.execute(dataSource, "DELETE FROM shigoto_jobs WHERE queue = 'parked-copy'");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
