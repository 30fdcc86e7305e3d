package io.quarkiverse.shigoto.it;

import static io.quarkiverse.shigoto.it.Jobs.awaitState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkiverse.shigoto.DependencyFailure;
import io.quarkiverse.shigoto.InvalidJobException;
import io.quarkiverse.shigoto.JobFilter;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.it.workers.DependentWorker;
import io.quarkiverse.shigoto.it.workers.HoldingWorker;
import io.quarkiverse.shigoto.it.workers.JobProbe;
import io.quarkiverse.shigoto.it.workers.ScriptedWorker;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Jobs that wait for other jobs: pending until every dependency completed, with their results; cancelled (or run
 * anyway) when one fails; never stranded.
 */
@QuarkusTest
class DependenciesTest {

    @Inject
    Shigoto shigoto;

    @Inject
    JobProbe probe;

    private JobView holding() {
        return shigoto.insert(JobRequest.of(HoldingWorker.class));
    }

    private JobView dependent(long... on) {
        return shigoto.insert(JobRequest.of(DependentWorker.class).dependsOn(on));
    }

    @Test
    void aJobWaitsUntilEveryDependencyCompletedAndReadsTheirResults() {
        JobView first = holding();
        JobView second = shigoto.insert(JobRequest.of("echo").arg("result", Map.of("rows", 42)));
        JobView last = dependent(first.id(), second.id());
        assertThat(last.state()).isEqualTo(JobState.PENDING);
        awaitState(shigoto, second.id(), JobState.COMPLETED);
        assertThat(shigoto.job(last.id()).orElseThrow().state()).isEqualTo(JobState.PENDING);
        probe.release(first.id());
        awaitState(shigoto, last.id(), JobState.COMPLETED);
        assertThat(probe.dependencyResultsOf(last.id())).containsEntry(first.id(), "released")
                .containsEntry(second.id(), Map.of("rows", 42));
    }

    @Test
    void dependenciesThatAlreadyCompletedDoNotHoldAJobBack() {
        JobView done = shigoto.insert(JobRequest.of("echo"));
        awaitState(shigoto, done.id(), JobState.COMPLETED);
        JobView next = dependent(done.id());
        assertThat(next.state()).isEqualTo(JobState.AVAILABLE);
        awaitState(shigoto, next.id(), JobState.COMPLETED);
    }

    @Test
    void aDiamondRunsItsJoinOnceBothBranchesCompleted() {
        JobView top = holding();
        JobView left = dependent(top.id());
        JobView right = dependent(top.id());
        JobView join = dependent(left.id(), right.id());
        assertThat(List.of(left, right, join)).allSatisfy(j -> assertThat(j.state()).isEqualTo(JobState.PENDING));
        probe.release(top.id());
        awaitState(shigoto, join.id(), JobState.COMPLETED);
        assertThat(probe.runs(join.id())).isEqualTo(1);
        assertThat(shigoto.dependencies(join.id())).extracting(JobView::id).containsExactly(left.id(), right.id());
        assertThat(shigoto.dependents(top.id())).extracting(JobView::id).containsExactly(left.id(), right.id());
    }

    @Test
    void idsThatNameNoJobAreRejectedAndNothingIsStored() {
        JobView real = holding();
        assertThatThrownBy(() -> shigoto.insertAll(List.of(JobRequest.of("echo").arg("marker", "missing-deps"),
                JobRequest.of(DependentWorker.class).dependsOn(real.id(), Long.MAX_VALUE - 1))))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining(String.valueOf(Long.MAX_VALUE - 1))
                .hasMessageNotContaining(String.valueOf(real.id()));
        assertThat(shigoto.dependents(real.id())).isEmpty();
        probe.release(real.id());
    }

    @Test
    void cancellingADependencyCancelsItsDependentsInACascadeNamingIt() {
        JobView top = holding();
        JobView middle = dependent(top.id());
        JobView bottom = dependent(middle.id());
        awaitState(shigoto, top.id(), JobState.EXECUTING);
        assertThat(shigoto.cancel(top.id())).isTrue();
        JobView m = awaitState(shigoto, middle.id(), JobState.CANCELLED);
        assertThat(m.errors()).last().satisfies(e -> {
            assertThat(e.type()).isEqualTo("dependency-failed");
            assertThat(e.message()).isEqualTo("dependency " + top.id() + " was cancelled");
        });
        JobView b = awaitState(shigoto, bottom.id(), JobState.CANCELLED);
        assertThat(b.errors()).last().satisfies(e -> assertThat(e.message()).contains(String.valueOf(middle.id())));
    }

    @Test
    void aDiscardedDependencyCancelsItsDependents() {
        JobView failing = shigoto.insert(JobRequest.of(ScriptedWorker.class).arg("outcome", "throw").arg("token", 3)
                .maxAttempts(1));
        JobView waiting = dependent(failing.id());
        JobView cancelled = awaitState(shigoto, waiting.id(), JobState.CANCELLED);
        assertThat(cancelled.errors()).last()
                .satisfies(e -> assertThat(e.message()).isEqualTo("dependency " + failing.id() + " was discarded"));
        assertThat(probe.runs(waiting.id())).isZero();
    }

    @Test
    void cancelByResolvesTheDependentsOfEveryJobItCancels() {
        JobView a = shigoto.insert(JobRequest.of("echo").queue("parked").tags("cancel-by-cascade"));
        JobView b = shigoto.insert(JobRequest.of("echo").queue("parked").tags("cancel-by-cascade"));
        JobView waiting = dependent(a.id(), b.id());
        assertThat(shigoto.cancelBy(JobFilter.all().tags("cancel-by-cascade").queues("parked"))).isEqualTo(2);
        assertThat(shigoto.job(waiting.id()).orElseThrow().state()).as("not stranded").isEqualTo(JobState.CANCELLED);
    }

    @Test
    void aDependentThatRunsAnywayRunsAfterItsDependencyFailed() {
        JobView top = holding();
        JobView anyway = shigoto.insert(JobRequest.of(DependentWorker.class).dependsOn(top.id())
                .onDependencyFailure(DependencyFailure.RUN));
        shigoto.cancel(top.id());
        awaitState(shigoto, anyway.id(), JobState.COMPLETED);
    }

    @Test
    void aJobDependingOnAnAlreadyFailedJobIsCancelledAtOnce() {
        JobView top = holding();
        shigoto.cancel(top.id());
        JobView late = dependent(top.id());
        assertThat(late.state()).isEqualTo(JobState.CANCELLED);
        assertThat(late.errors()).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo("dependency-failed"));
    }

    @Test
    void deletingAnUnfinishedDependencyCancelsItsDependents() {
        JobView parked = shigoto.insert(JobRequest.of("echo").queue("parked"));
        JobView waiting = dependent(parked.id());
        assertThat(shigoto.delete(parked.id())).isTrue();
        JobView cancelled = shigoto.job(waiting.id()).orElseThrow();
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.errors()).last()
                .satisfies(e -> assertThat(e.message()).isEqualTo("dependency " + parked.id() + " no longer exists"));
    }

    @Test
    void aRetriedDependentWaitsForItsRetriedDependency() {
        JobView top = shigoto.insert(JobRequest.of("echo").queue("parked"));
        JobView child = dependent(top.id());
        shigoto.cancel(top.id());
        assertThat(shigoto.job(child.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThat(shigoto.retry(child.id())).isTrue();
        assertThat(shigoto.job(child.id()).orElseThrow().state()).as("its dependency is still cancelled")
                .isEqualTo(JobState.CANCELLED);
        assertThat(shigoto.retry(top.id())).isTrue();
        assertThat(shigoto.retry(child.id())).isTrue();
        assertThat(shigoto.job(child.id()).orElseThrow().state()).isEqualTo(JobState.PENDING);
        shigoto.delete(top.id());
    }
}
