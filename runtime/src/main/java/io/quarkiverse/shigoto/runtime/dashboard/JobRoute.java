package io.quarkiverse.shigoto.runtime.dashboard;

import java.sql.SQLException;
import java.util.List;

import io.quarkiverse.shigoto.Delivery;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.store.BroadcastStore;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.vertx.ext.web.RoutingContext;

/** One job: its data, its timeline and errors, its dependencies and dependents, a broadcast's deliveries. */
final class JobRoute extends DashboardRoute {

    JobRoute(String base, DashboardAccess access) {
        super(base, access);
    }

    @Override
    String render(RoutingContext rc, DashboardData data, Shigoto shigoto) throws SQLException {
        long id = pathId(rc, "job");
        JobView job = Redaction.apply(shigoto.job(id).orElseThrow(() -> new NotFound("no job has the id " + id)));
        BroadcastStore.Role role = data.store().broadcasts().role(id);
        List<Delivery> deliveries = role == null || role.delivery() ? List.of() : shigoto.deliveries(id);
        return DashboardPages.job(base, forms(rc), live(data, "watch=job&id=" + id, "job:" + id),
                JobRow.of(job, data.clock().instant()), Excerpt.of(JsonCodec.pretty(job.args())),
                Excerpt.of(JsonCodec.pretty(job.meta())),
                job.result() == null ? null : Excerpt.of(JsonCodec.pretty(job.result())),
                base + "/api/jobs/" + id + "?full=true", shigoto.dependencies(id), shigoto.dependents(id),
                data.store().batches().membership(id).orElse(null),
                WhyWaiting.waiting(job.state()) ? WhyWaiting.decide(WhyWaiting.gather(data, shigoto, job)) : List.of(),
                role, deliveries).render();
    }
}
