package io.quarkiverse.shigoto.runtime.dashboard;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.shigoto.BatchView;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.WorkflowView;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.vertx.ext.web.RoutingContext;

/**
 * One batch with its counters, callbacks and unfinished members, or one workflow with its steps and their
 * dependency graph; both with bulk retry and cancel of their members.
 */
final class BatchRoute extends DashboardRoute {

    /** Unfinished members a batch's page lists (the jobs page lists them all, filtered by the batch). */
    static final int MEMBERS = 50;

    private final boolean workflow;

    BatchRoute(String base, DashboardAccess access, boolean workflow) {
        super(base, access);
        this.workflow = workflow;
    }

    @Override
    String render(RoutingContext rc, DashboardData data, Shigoto shigoto) throws SQLException {
        long id = pathId(rc, workflow ? "workflow" : "batch");
        String watch = live(data, "watch=batch&id=" + id, "batch:" + id);
        if (workflow) {
            WorkflowView flow = shigoto.workflow(id).orElseThrow(() -> new NotFound("no workflow has the id " + id));
            List<StepRow> steps = new ArrayList<>(flow.steps().size());
            flow.steps().forEach(s -> steps.add(StepRow.of(s)));
            return DashboardPages.workflow(base, forms(rc), watch, flow, BatchRow.stateName(flow.batch().state()),
                    BatchRow.duration(flow.batch().insertedAt(), end(flow.batch(), data)),
                    WorkflowGraph.svg(base, flow.steps()), steps).render();
        }
        BatchView batch = shigoto.batch(id).orElseThrow(() -> new NotFound("no batch has the id " + id));
        Instant now = data.clock().instant();
        List<JobRow> members = new ArrayList<>();
        for (JobView job : Redaction.apply(data.store().batches().unfinished(id, MEMBERS))) {
            members.add(JobRow.of(job, now));
        }
        boolean isWorkflow = data.store().batches().isWorkflow(id);
        return DashboardPages.batch(base, forms(rc), watch, batch, BatchRow.stateName(batch.state()),
                BatchRow.duration(batch.insertedAt(), end(batch, data)), Excerpt.of(JsonCodec.pretty(batch.meta())),
                members, isWorkflow).render();
    }

    private static Instant end(BatchView batch, DashboardData data) {
        return batch.finishedAt() != null ? batch.finishedAt() : data.clock().instant();
    }
}
