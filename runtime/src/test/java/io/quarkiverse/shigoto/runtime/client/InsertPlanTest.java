package io.quarkiverse.shigoto.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.DependencyFailure;
import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.runtime.store.NewJob;

class InsertPlanTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    private static NewJob job(byte[] key, long... dependsOn) {
        return new NewJob("k", "q", 0, Map.of(), "{}", Map.of(), "{}", List.of(), 3, NOW, JobState.AVAILABLE, null, null, key,
                key == null ? 0 : 31, dependsOn, DependencyFailure.CANCEL);
    }

    private static JobView view(long id, boolean conflict) {
        return new JobView(id, "k", "q", JobState.AVAILABLE, 0, Map.of(), Map.of(), List.of(), 0, 3, List.of(), null,
                null, NOW, NOW, null, null, null, null, conflict);
    }

    @Test
    void aKeyRepeatedInTheBatchIsStoredOnceAndAnswersAsAConflict() {
        byte[] a = { 1 }, b = { 2 };
        InsertPlan plan = new InsertPlan(List.of(job(a), job(null), job(a), job(b)));
        assertThat(plan.plainJobs()).hasSize(1);
        assertThat(plan.uniqueJobs()).hasSize(2);
        List<JobView> views = plan.views(List.of(view(10, false)), List.of(view(11, false), view(12, true)));
        assertThat(views).extracting(JobView::id).containsExactly(11L, 10L, 11L, 12L);
        assertThat(views).extracting(JobView::conflict).containsExactly(false, false, true, true);
        assertThat(InsertPlan.newAvailable(views)).containsExactly("q");
    }

    @Test
    void uniqueJobsAreStoredInKeyOrderWhateverTheRequestOrder() {
        byte[] high = { (byte) 0xf0 }, low = { 0x01 }, mid = { 0x02, 0x00 };
        NewJob h = job(high), l = job(low), m = job(mid);
        InsertPlan plan = new InsertPlan(List.of(h, l, m, job(low)));
        // unsigned: 0xf0 sorts after 0x02, so every transaction locks these keys in one order
        assertThat(plan.uniqueJobs()).containsExactly(l, m, h);
        List<JobView> views = plan.views(List.of(), List.of(view(21, false), view(22, false), view(23, false)));
        assertThat(views).extracting(JobView::id).containsExactly(23L, 21L, 22L, 21L);
        assertThat(views).extracting(JobView::conflict).containsExactly(false, false, false, true);
    }

    @Test
    void edgesAreStoredForNewJobsOnly() {
        InsertPlan plan = new InsertPlan(List.of(job(null, 5, 6), job(new byte[] { 1 }, 7)));
        String edges = plan.edgesJson(plan.views(List.of(view(10, false)), List.of(view(11, true))));
        assertThat(edges).contains("\"job_id\":10", "\"depends_on\":5", "\"depends_on\":6").doesNotContain(":7");
        assertThat(new InsertPlan(List.of(job(null))).edgesJson(List.of(view(1, false)))).isNull();
    }

    @Test
    void dependenciesDecideTheInitialState() {
        List<NewJob> jobs = List.of(job(null, 1), job(null, 2), job(null, 3), job(null));
        DependencyCheck check = DependencyCheck.apply(jobs,
                Map.of(1L, JobState.COMPLETED, 2L, JobState.EXECUTING, 3L, JobState.DISCARDED));
        assertThat(check.jobs()).extracting(NewJob::state).containsExactly(JobState.AVAILABLE, JobState.PENDING,
                JobState.PENDING, JobState.AVAILABLE);
        assertThat(check.failedParents()).containsExactly(3L);
        assertThatThrownBy(() -> DependencyCheck.apply(List.of(job(null, 1, 9, 8)), Map.of(1L, JobState.COMPLETED)))
                .isInstanceOf(InvalidJobException.class).hasMessage("dependsOn names job(s) that do not exist: [8, 9]");
    }
}
