package io.quarkiverse.shigoto.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkus.narayana.jta.QuarkusTransaction;
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
        // 1,500 rows take the COPY path, whose text format escapes these characters; the rows span several blocks
        Map<String, Object> tricky = Map.of("text", "tab\there\nnew line\\back\\slash \"quoted\" \u00e9\u2713 cr\r \\N",
                "nested", Map.of("path", "C:\\dir\\file", "list", List.of("a\tb", "c\rd")),
                "cl\u00e9 \uD83D\uDE00", "emoji \uD83D\uDE00 and a lone \uD800 surrogate");
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            JobRequest r = JobRequest.of("echo").queue("parked-copy").args(tricky).arg("i", i)
                    .meta(Map.of("m", "x\ty", "n", List.of(i)))
                    .tags("t\"1", "back\\slash", "tab\tbed", "\\N", "\u65e5\u672c", "cr\rlf\n")
                    .partitionKey("p\t" + i + "\r\n\\N \u00e9\uD83D\uDE00");
            // every third job later: rows alternate between two due times and two states
            requests.add(i % 3 == 0 ? r.scheduleIn(Duration.ofHours(1)) : r);
        }
        List<JobView> jobs = shigoto.insertAll(requests);
        try {
            for (int i : new int[] { 0, 1, 777, 1_498, 1_499 }) {
                JobView stored = shigoto.job(jobs.get(i).id()).orElseThrow();
                Map<String, Object> expected = new java.util.HashMap<>(tricky);
                // what String.getBytes writes for an unpaired surrogate, as before
                expected.put("cl\u00e9 \uD83D\uDE00", "emoji \uD83D\uDE00 and a lone ? surrogate");
                expected.put("i", i);
                assertThat(stored.args()).isEqualTo(expected);
                assertThat(stored.meta()).isEqualTo(Map.of("m", "x\ty", "n", List.of(i)));
                assertThat(stored.tags()).containsExactly("t\"1", "back\\slash", "tab\tbed", "\\N", "\u65e5\u672c",
                        "cr\rlf\n");
                assertThat(stored.partitionKey()).isEqualTo("p\t" + i + "\r\n\\N \u00e9\uD83D\uDE00");
                assertThat(stored.state()).isEqualTo(i % 3 == 0 ? JobState.SCHEDULED : JobState.AVAILABLE);
                // PostgreSQL keeps microseconds
                assertThat(stored.scheduledAt()).isCloseTo(jobs.get(i).scheduledAt(), within(1, ChronoUnit.MICROS));
                assertThat(stored.insertedAt()).isCloseTo(jobs.get(i).insertedAt(), within(1, ChronoUnit.MICROS));
            }
        } finally {
            try {
                JobRows.execute(dataSource, "DELETE FROM shigoto_jobs WHERE queue = 'parked-copy'");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void aNulInABulkInsertIsRefusedAndStoresNothing() throws Exception {
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            requests.add(JobRequest.of("echo").queue("parked-nul").arg("i", i));
        }
        requests.set(1_234, JobRequest.of("echo").queue("parked-nul").arg("i", "a\u0000b"));
        assertThatThrownBy(() -> shigoto.insertAll(requests)).isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("args.i contains the NUL character");
        assertThatThrownBy(() -> JobRequest.of("echo").tags("a\u0000b")).isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("NUL");
        assertThatThrownBy(() -> JobRequest.of("echo").partitionKey("a\u0000b"))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("NUL");
        assertThat(JobRows.single(dataSource, "SELECT count(*) FROM shigoto_jobs WHERE queue = 'parked-nul'"))
                .isEqualTo(0);
    }

    @Test
    void anInvalidRequestInALargeBatchLeavesTheCallersTransactionUsable() throws Exception {
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            requests.add(JobRequest.of("echo").queue("parked-tx").arg("i", i));
        }
        requests.set(1_400, JobRequest.of("echo").queue("parked-tx").arg("bad", Double.NaN));
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                shigoto.insert(JobRequest.of("echo").queue("parked-tx").arg("kept", true));
                assertThatThrownBy(() -> shigoto.insertAll(requests)).isInstanceOf(InvalidJobException.class)
                        .hasMessageContaining("args.bad is NaN");
                // the transaction goes on: nothing of the batch was sent
                shigoto.insert(JobRequest.of("echo").queue("parked-tx").arg("after", true));
            });
            assertThat(JobRows.single(dataSource, "SELECT count(*) FROM shigoto_jobs WHERE queue = 'parked-tx'"))
                    .isEqualTo(2);
        } finally {
            JobRows.execute(dataSource, "DELETE FROM shigoto_jobs WHERE queue = 'parked-tx'");
        }
    }
}
