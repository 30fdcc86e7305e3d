package io.quarkiverse.shigoto.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.shigoto.BatchRequest;
import io.quarkiverse.shigoto.BatchState;
import io.quarkiverse.shigoto.DependencyFailure;
import io.quarkiverse.shigoto.InvalidWorkflowException;
import io.quarkiverse.shigoto.JobRequest;
import io.quarkiverse.shigoto.JobState;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.Unique;
import io.quarkiverse.shigoto.UniqueOptions;
import io.quarkiverse.shigoto.Workflow;
import io.quarkiverse.shigoto.WorkflowView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Workflows on the application's node: steps run after their parents and read their results by step name, the
 * workflow is checked as a whole before anything is stored, each failure policy does what it says, and sub-workflows
 * flatten into named steps.
 */
@QuarkusTest
class WorkflowTest {

    @Inject
    Shigoto shigoto;

    @Inject
    AgroalDataSource dataSource;

    static JobRequest step(String name, int value) {
        return JobRequest.of("workflow-step").arg("step", name).arg("value", value);
    }

    static JobRequest failing(String name) {
        return step(name, 0).arg("outcome", "fail");
    }

    WorkflowView finished(long id) {
        return await().atMost(Jobs.PATIENCE).until(() -> shigoto.workflow(id).orElseThrow(), WorkflowView::finished);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> result(WorkflowView flow, String step) {
        return (Map<String, Object>) flow.step(step).orElseThrow().result();
    }

    @Test
    void aDiamondRunsEachStepAfterItsParentsAndPassesResultsByStepName() {
        // added out of order: the workflow is ordered as a whole
        WorkflowView flow = shigoto.insertWorkflow(Workflow.named("album-7")
                .add("publish", step("publish", 100), Workflow.after("resize-1", "resize-2"))
                .add("fetch", step("fetch", 1))
                .add("resize-1", step("resize-1", 10), Workflow.after("fetch"))
                .add("resize-2", step("resize-2", 20), Workflow.after("fetch")));
        assertThat(flow.name()).isEqualTo("album-7");
        assertThat(flow.steps()).extracting(WorkflowView.Step::name).as("parents before children")
                .containsExactly("fetch", "resize-1", "resize-2", "publish");
        assertThat(flow.byName().get("publish").after()).containsExactly("resize-1", "resize-2");
        assertThat(flow.byName().get("fetch").state()).isEqualTo(JobState.AVAILABLE);
        assertThat(flow.byName().get("publish").state()).isEqualTo(JobState.PENDING);
        assertThat(flow.batch().total()).isEqualTo(4);
        assertThat(flow.batch().state()).as("a workflow is sealed").isEqualTo(BatchState.RUNNING);

        WorkflowView done = finished(flow.id());
        assertThat(done.steps()).allSatisfy(s -> assertThat(s.state()).isEqualTo(JobState.COMPLETED));
        assertThat(done.batch().completed()).isEqualTo(4);
        assertThat(result(done, "resize-2")).containsEntry("sum", 21).containsEntry("parents", List.of("fetch"));
        assertThat(result(done, "publish")).as("its own value plus both parents' sums, read typed by step name")
                .containsEntry("sum", 132).containsEntry("parents", List.of("resize-1", "resize-2"));

        JobView publish = shigoto.job(done.byName().get("publish").jobId()).orElseThrow();
        for (String parent : List.of("resize-1", "resize-2")) {
            JobView p = shigoto.job(done.byName().get(parent).jobId()).orElseThrow();
            assertThat(publish.attemptedAt()).as("publish started after %s finished", parent)
                    .isAfterOrEqualTo(p.finishedAt());
        }
        assertThat(shigoto.batch(flow.id())).as("a workflow is a batch").isPresent();
    }

    @Test
    void aWrongWorkflowIsRejectedAsAWholeNamingEveryProblemAndStoresNothing() throws SQLException {
        String marker = UUID.randomUUID().toString();
        Workflow wrong = Workflow.named("wrong")
                .add("fetch", step("fetch", 1).arg("marker", marker))
                .add("fetch", step("fetch", 2).arg("marker", marker))
                .add("resize", step("resize", 1).arg("marker", marker), Workflow.after("fecth"))
                .add("a", step("a", 1).arg("marker", marker), Workflow.after("c"))
                .add("b", step("b", 1).arg("marker", marker), Workflow.after("a"))
                .add("c", step("c", 1).arg("marker", marker), Workflow.after("b"))
                .add("self", step("self", 1).arg("marker", marker), Workflow.after("self"))
                .add("unique", step("unique", 1).arg("marker", marker).unique(UniqueOptions.by(Unique.Key.ARGS)))
                .add("unknown", JobRequest.of("no-such-kind"))
                .add("a/b", step("slash", 1).arg("marker", marker))
                .meta(Map.of("marker", marker));

        assertThatThrownBy(() -> shigoto.insertWorkflow(wrong))
                .isInstanceOfSatisfying(InvalidWorkflowException.class, e -> {
                    assertThat(e.getMessage()).startsWith("the workflow 'wrong' was not stored: ")
                            .contains("step 'fetch' is added twice")
                            .contains("step 'resize' comes after 'fecth', which is no step of this workflow")
                            .contains("step 'self' comes after itself")
                            .contains("steps form a cycle: 'a' → 'b' → 'c' → 'a'")
                            .contains("step 'unique' is unique")
                            .contains("step 'unknown': ").contains("no-such-kind")
                            .contains("step 'a/b' has a '/' in its name");
                    assertThat(e.steps()).contains("fetch", "resize", "self", "a", "b", "c", "unique", "unknown",
                            "a/b");
                });
        assertThat(JobRows.single(dataSource, "SELECT count(*) FROM shigoto_jobs WHERE args->>'marker' = ?", marker))
                .isZero();
        assertThat(JobRows.single(dataSource, "SELECT count(*) FROM shigoto_batches WHERE meta->>'marker' = ?",
                marker)).isZero();

        assertThatThrownBy(() -> shigoto.insertWorkflow(Workflow.create()))
                .isInstanceOf(InvalidWorkflowException.class).hasMessageContaining("at least one step");
    }

    @Test
    void eachFailurePolicyDoesWhatItSays() {
        WorkflowView flow = shigoto.insertWorkflow(Workflow.named("policies")
                .add("fetch", step("fetch", 1).arg("outcome", "fail-first"))
                .add("cancelled", step("cancelled", 1), Workflow.after("fetch"))
                .add("after-cancelled", step("after-cancelled", 1), Workflow.after("cancelled"))
                .add("anyway", step("anyway", 5).onDependencyFailure(DependencyFailure.RUN), Workflow.after("fetch"))
                .add("held", step("held", 7).onDependencyFailure(DependencyFailure.HOLD), Workflow.after("fetch")));
        Map<String, WorkflowView.Step> steps = flow.byName();

        // the run-anyway step is made available by the same statement that decides the other two
        JobView anyway = Jobs.awaitState(shigoto, steps.get("anyway").jobId(), JobState.COMPLETED);
        assertThat(shigoto.job(steps.get("fetch").jobId()).orElseThrow().state()).isEqualTo(JobState.DISCARDED);
        JobView cancelled = shigoto.job(steps.get("cancelled").jobId()).orElseThrow();
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.errors().get(0).type()).isEqualTo("dependency-failed");
        assertThat(Jobs.awaitState(shigoto, steps.get("after-cancelled").jobId(), JobState.CANCELLED).errors())
                .as("the cancel cascades").isNotEmpty();
        assertThat(shigoto.job(steps.get("held").jobId()).orElseThrow().state()).as("held, not cancelled")
                .isEqualTo(JobState.PENDING);
        assertThat(anyway.result()).isNotNull();
        assertThat(shigoto.workflow(flow.id()).orElseThrow().finished()).as("a held step keeps the workflow open")
                .isFalse();

        // retried, the failed step completes, and the held one runs after it
        assertThat(shigoto.retry(steps.get("fetch").jobId())).isTrue();
        WorkflowView done = finished(flow.id());
        assertThat(done.byName().get("fetch").state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.byName().get("held").state()).isEqualTo(JobState.COMPLETED);
        assertThat(result(done, "held")).containsEntry("sum", 8);
        assertThat(done.batch().completed()).isEqualTo(3);
        assertThat(done.batch().cancelled()).isEqualTo(2);
    }

    @Test
    void aJobHeldOnAnAlreadyFailedDependencyWaitsForItsRetry() {
        long failed = shigoto.insert(failing("lone")).id();
        Jobs.awaitState(shigoto, failed, JobState.DISCARDED);
        JobView held = shigoto.insert(step("held-later", 1).dependsOn(failed)
                .onDependencyFailure(DependencyFailure.HOLD));
        assertThat(held.state()).isEqualTo(JobState.PENDING);
        JobView cancelled = shigoto.insert(step("cancelled-later", 1).dependsOn(failed));
        assertThat(cancelled.state()).as("the default policy, in the same snapshot").isEqualTo(JobState.CANCELLED);
        assertThat(shigoto.job(held.id()).orElseThrow().state()).isEqualTo(JobState.PENDING);
        // deleting the failed dependency leaves nothing to retry: the held job is cancelled
        assertThat(shigoto.delete(failed)).isTrue();
        assertThat(Jobs.awaitState(shigoto, held.id(), JobState.CANCELLED).errors().get(0).message())
                .isEqualTo("dependency " + failed + " no longer exists");
    }

    @Test
    void aSubWorkflowsStepsAreNamedUnderItAndWaitAsOne() {
        Workflow render = Workflow.create()
                .add("a", step("render/a", 10))
                .add("b", step("render/b", 20), Workflow.after("a"))
                .add("c", step("render/c", 30), Workflow.after("a"));
        WorkflowView flow = shigoto.insertWorkflow(Workflow.named("nested")
                .add("prepare", step("prepare", 1))
                .add("render", render, Workflow.after("prepare"))
                .add("ship", step("ship", 100), Workflow.after("render")));
        Map<String, WorkflowView.Step> steps = flow.byName();
        assertThat(steps.keySet()).containsExactlyInAnyOrder("prepare", "render/a", "render/b", "render/c", "ship");
        assertThat(steps.get("render/a").after()).containsExactly("prepare");
        assertThat(steps.get("ship").after()).as("after the sub-workflow's last steps")
                .containsExactlyInAnyOrder("render/b", "render/c");

        WorkflowView done = finished(flow.id());
        // render/b and render/c each add 10 + 1 + their own value
        assertThat(result(done, "ship")).containsEntry("sum", 100 + (20 + 11) + (30 + 11));
    }

    @Test
    void aWideWorkflowOf200StepsIsStoredInItsLayers() {
        Workflow wide = Workflow.named("wide").add("start", step("start", 0));
        String[] middles = new String[198];
        for (int i = 0; i < middles.length; i++) {
            middles[i] = "m" + i;
            wide.add(middles[i], step(middles[i], 1), Workflow.after("start"));
        }
        wide.add("end", step("end", 0), Workflow.after(middles));
        WorkflowView flow = shigoto.insertWorkflow(wide);
        assertThat(flow.steps()).hasSize(200);
        assertThat(flow.steps().get(0).name()).isEqualTo("start");
        assertThat(flow.steps().get(199).name()).isEqualTo("end");
        assertThat(flow.steps().get(199).after()).hasSize(198);
        assertThat(result(finished(flow.id()), "end")).containsEntry("sum", 198);
    }

    @Test
    void aWorkflowInsertedInTheCallersTransactionIsGoneWithItsRollback() throws SQLException {
        long[] ids = new long[3];
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            WorkflowView flow = shigoto.insertWorkflow(Workflow.named("rolled-back").add("one", step("one", 1))
                    .add("two", step("two", 1), Workflow.after("one")));
            ids[0] = flow.id();
            ids[1] = flow.steps().get(0).jobId();
            ids[2] = flow.steps().get(1).jobId();
            throw new IllegalStateException("the caller's work failed");
        })).hasMessageContaining("the caller's work failed");
        assertThat(shigoto.workflow(ids[0])).isEmpty();
        assertThat(shigoto.batch(ids[0])).isEmpty();
        assertThat(shigoto.job(ids[1])).isEmpty();
        assertThat(shigoto.job(ids[2])).isEmpty();
    }

    @Test
    void aPlainBatchOrAnUnknownIdIsNoWorkflow() {
        long batch = shigoto.insertBatch(BatchRequest.of(JobRequest.of("batch-member"))).id();
        assertThat(shigoto.workflow(batch)).isEmpty();
        assertThat(shigoto.workflow(-5)).isEmpty();
    }
}
