package io.quarkiverse.shigoto.runtime.dashboard;

import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

import io.quarkiverse.shigoto.Delivery;
import io.quarkiverse.shigoto.JobView;
import io.quarkiverse.shigoto.Shigoto;
import io.quarkiverse.shigoto.runtime.store.BroadcastStore;
import io.quarkiverse.shigoto.runtime.store.JsonCodec;
import io.vertx.ext.web.RoutingContext;

/** One job: its data, its timeline and errors, its dependencies and dependents, a broadcast's deliveries. */
final class JobRoute extends DashboardRoute {

    /** The most deliveries a broadcast's page watches for changes (the live stream takes 200 ids). */
    private static final int MAX_WATCHED = 150;

    JobRoute(String base, DashboardAccess access) {
        super(base, access);
    }

    @Override
    String render(RoutingContext rc, DashboardData data, Shigoto shigoto) throws SQLException {
        long id = pathId(rc, "job");
        JobView job = Redaction.apply(shigoto.job(id).orElseThrow(() -> new NotFound("no job has the id " + id)));
        BroadcastStore.Role role = data.store().broadcasts().role(id);
        List<Delivery> deliveries = role == null || role.delivery() ? List.of() : shigoto.deliveries(id);
        // a broadcast's page changes with its deliveries (up to what a watch takes; most clusters have far fewer nodes)
        String with = deliveries.stream().limit(MAX_WATCHED).map(d -> Long.toString(d.job().id()))
                .collect(Collectors.joining(","));
        String watch = with.isEmpty() ? live(data, "watch=job&id=" + id, "job:" + id)
                : live(data, "watch=job&id=" + id + "&with=" + with, "job:" + id + "," + with);
        return DashboardPages.job(base, forms(rc), watch,
                JobRow.of(job, data.clock().instant()), Excerpt.of(JsonCodec.pretty(job.args())),
                Excerpt.of(JsonCodec.pretty(job.meta())),
                job.result() == null ? null : Excerpt.of(JsonCodec.pretty(job.result())),
                base + "/api/jobs/" + id + "?full=true", shigoto.dependencies(id), shigoto.dependents(id),
                data.store().batches().membership(id).orElse(null),
                WhyWaiting.waiting(job.state()) ? WhyWaiting.decide(WhyWaiting.gather(data, shigoto, job)) : List.of(),
                role, deliveries).render();
    }
}
